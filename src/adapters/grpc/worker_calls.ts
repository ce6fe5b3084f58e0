/**
 * @module
 * The lifecycles worker calls share. Both own one abort that ends the call when the caller's
 * signal fires, `close()` is called, or the consumer stops reading; both turn failures into
 * typed errors. A client-streaming call also queues the caller's input and the output.
 */
import type { Transport } from "@connectrpc/connect";
import { AsyncQueue } from "../../lib/async_queue.ts";
import { ReplayInput } from "../../lib/replay_input.ts";
import type { WorkerLease } from "../../ports/worker_connection.ts";
import type { WorkerName } from "../../ports/worker_status.ts";
import { connectionLost, workerError } from "./errors.ts";
import { linkSignal, type WorkerSource } from "./worker_source.ts";

export interface DuplexCall<In, Out> {
  readonly input: ReplayInput<In>;
  readonly output: AsyncQueue<Out>;
  close(): void;
}

/** Audio or text kept for a resend while the worker has not answered: 10 s of 20 ms frames. */
const MAX_REPLAY = 500;

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

/** The worker a call holds: its lease changes when the call moves to a replacement. */
class Held {
  #lease: WorkerLease<Transport> | null = null;

  get transport(): Transport {
    return this.#lease!.transport;
  }

  async take(
    options: {
      readonly worker: WorkerName;
      readonly workers: WorkerSource;
      acquireTimeoutMs?: number;
    },
    signal: AbortSignal,
    replacing?: Transport,
  ): Promise<Transport> {
    this.release();
    this.#lease = await options.workers.lease(options.worker, {
      signal,
      timeoutMs: options.acquireTimeoutMs,
      replacing,
    });
    return this.#lease.transport;
  }

  release(): void {
    this.#lease?.release();
    this.#lease = null;
  }
}

/**
 * A call that lost its worker before any answer goes once more to a replacement (another pool
 * member, or the lost one's successor): rethrows anything else (the caller's abort, the worker's
 * own verdict).
 */
async function replacement(
  options: {
    readonly worker: WorkerName;
    readonly workers: WorkerSource;
    readonly acquireTimeoutMs?: number;
  },
  held: Held,
  error: unknown,
  signal: AbortSignal,
): Promise<Transport> {
  if (signal.aborted || !connectionLost(error)) throw error;
  return await held.take(options, signal, held.transport);
}

/**
 * A client-streaming call. Like a server stream, a call that finds the worker gone before its
 * first response is sent once more to the replacement, input included.
 */
export function duplexCall<In, Res, Out>(
  options: DuplexOptions<In, Res, Out>,
): DuplexCall<In, Out> {
  const input = new ReplayInput<In>({ maxReplay: MAX_REPLAY });
  const controller = new AbortController();
  const close = () =>
    controller.abort(new DOMException(`${options.worker} call closed`, "AbortError"));
  const output = new AsyncQueue<Out>({ onReturn: close });
  const unlink = linkSignal(options.signal, controller);

  const held = new Held();
  const run = async () => {
    try {
      let transport = await held.take(options, controller.signal);
      for (let attempt = 0;; attempt++) {
        const attemptController = new AbortController();
        const unlinkAttempt = linkSignal(controller.signal, attemptController);
        let received = false;
        try {
          const requests = input.reader(attemptController.signal);
          for await (const response of options.call(transport, requests, controller.signal)) {
            if (!received) input.settle();
            received = true;
            output.push(options.map(response));
          }
          output.end();
          return;
        } catch (error) {
          if (received || attempt > 0) throw error;
          transport = await replacement(options, held, error, controller.signal);
        } finally {
          attemptController.abort();
          unlinkAttempt();
        }
      }
    } catch (error) {
      output.fail(workerError(options.worker, error, controller.signal));
    } finally {
      held.release();
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

/**
 * A server-streaming call as an async iterable whose early end cancels the call. A call that
 * finds the worker gone before its first response (it crashed while idle and the supervisor has
 * not noticed yet) is sent once more to its replacement.
 */
export async function* serverStream<Res, Out>(
  options: ServerStreamOptions<Res, Out>,
): AsyncIterable<Out> {
  const controller = new AbortController();
  const unlink = linkSignal(options.signal, controller);
  const held = new Held();
  try {
    let transport = await held.take(options, controller.signal);
    for (let attempt = 0;; attempt++) {
      const responses = options.call(transport, controller.signal)[Symbol.asyncIterator]();
      let received = false;
      try {
        // Iterated by hand so that a consumer that stops early cancels the call in finally: the
        // response iterator's return() leaves it open, holding HTTP/2 flow-control window.
        while (true) {
          const next = await responses.next();
          if (next.done) return;
          received = true;
          yield options.map(next.value);
        }
      } catch (error) {
        if (received || attempt > 0) throw error;
        transport = await replacement(options, held, error, controller.signal);
      }
    }
  } catch (error) {
    throw workerError(options.worker, error, controller.signal);
  } finally {
    controller.abort(new DOMException(`${options.worker} call finished`, "AbortError"));
    held.release();
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
  const held = new Held();
  try {
    const transport = await held.take(options, controller.signal);
    try {
      return await options.call(transport, controller.signal);
    } catch (error) {
      const next = await replacement(options, held, error, controller.signal);
      return await options.call(next, controller.signal);
    }
  } catch (error) {
    throw workerError(options.worker, error, controller.signal);
  } finally {
    held.release();
    unlink();
  }
}
