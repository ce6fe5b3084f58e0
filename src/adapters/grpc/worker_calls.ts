/**
 * @module
 * The lifecycles worker calls share. Both own one abort that ends the call when the caller's
 * signal fires, `close()` is called, or the consumer stops reading; both turn failures into
 * typed errors. A client-streaming call also queues the caller's input and the output.
 */
import type { Transport } from "@connectrpc/connect";
import { AsyncQueue } from "../../lib/async_queue.ts";
import type { WorkerName } from "../../ports/worker_status.ts";
import { workerError } from "./errors.ts";
import { linkSignal, type WorkerSource } from "./worker_source.ts";

export interface DuplexCall<In, Out> {
  readonly input: AsyncQueue<In>;
  readonly output: AsyncQueue<Out>;
  close(): void;
}

export interface DuplexOptions<In, Res, Out> {
  readonly worker: WorkerName;
  readonly workers: WorkerSource;
  readonly signal?: AbortSignal;
  /** Starts the RPC with the caller's input; the worker's responses come back. */
  readonly call: (
    transport: Transport,
    input: AsyncIterable<In>,
    signal: AbortSignal,
  ) => AsyncIterable<Res>;
  readonly map: (response: Res) => Out;
}

export function duplexCall<In, Res, Out>(
  options: DuplexOptions<In, Res, Out>,
): DuplexCall<In, Out> {
  const input = new AsyncQueue<In>();
  const controller = new AbortController();
  const close = () =>
    controller.abort(new DOMException(`${options.worker} call closed`, "AbortError"));
  const output = new AsyncQueue<Out>({ onReturn: close });
  const unlink = linkSignal(options.signal, controller);
  // An abandoned call must not leave the request generator waiting for input forever.
  controller.signal.addEventListener("abort", () => input.end(), { once: true });

  const run = async () => {
    try {
      const transport = await options.workers.acquire(options.worker, {
        signal: controller.signal,
      });
      for await (const response of options.call(transport, input, controller.signal)) {
        output.push(options.map(response));
      }
      output.end();
    } catch (error) {
      output.fail(workerError(options.worker, error, controller.signal));
    } finally {
      unlink();
    }
  };
  // The call's outcome always lands in `output`, which the caller consumes.
  run();
  return { input, output, close };
}

export interface ServerStreamOptions<Res, Out> {
  readonly worker: WorkerName;
  readonly workers: WorkerSource;
  readonly signal?: AbortSignal;
  /** Starts the RPC; the worker's responses come back. */
  readonly call: (transport: Transport, signal: AbortSignal) => AsyncIterable<Res>;
  readonly map: (response: Res) => Out;
}

/** A server-streaming call as an async iterable whose early end cancels the call. */
export async function* serverStream<Res, Out>(
  options: ServerStreamOptions<Res, Out>,
): AsyncIterable<Out> {
  const controller = new AbortController();
  const unlink = linkSignal(options.signal, controller);
  try {
    const transport = await options.workers.acquire(options.worker, { signal: controller.signal });
    const responses = options.call(transport, controller.signal)[Symbol.asyncIterator]();
    // Iterated by hand so that a consumer that stops early cancels the call in finally: the
    // response iterator's return() leaves it open, holding HTTP/2 flow-control window.
    while (true) {
      const next = await responses.next();
      if (next.done) break;
      yield options.map(next.value);
    }
  } catch (error) {
    throw workerError(options.worker, error, controller.signal);
  } finally {
    controller.abort(new DOMException(`${options.worker} call finished`, "AbortError"));
    unlink();
  }
}

export interface UnaryOptions<Res> {
  readonly worker: WorkerName;
  readonly workers: WorkerSource;
  readonly signal?: AbortSignal;
  /** How long to wait for a worker that is starting or restarting. */
  readonly acquireTimeoutMs?: number;
  readonly call: (transport: Transport, signal: AbortSignal) => Promise<Res>;
}

/** A unary call with the same typed failures as the streaming ones. */
export async function unaryCall<Res>(options: UnaryOptions<Res>): Promise<Res> {
  const controller = new AbortController();
  const unlink = linkSignal(options.signal, controller);
  try {
    const transport = await options.workers.acquire(options.worker, {
      signal: controller.signal,
      timeoutMs: options.acquireTimeoutMs,
    });
    return await options.call(transport, controller.signal);
  } catch (error) {
    throw workerError(options.worker, error, controller.signal);
  } finally {
    unlink();
  }
}
