/**
 * @module
 * The lifecycle every client-streaming worker call shares: input queued by the caller, output
 * queued for the caller, and one abort that ends both. A consumer that stops reading, `close()`,
 * or the caller's signal abandons the call; a failure lands in the output as a typed error.
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
