/**
 * @module
 * Worker call failures as typed errors: the caller's own abort stays an abort, a worker that died
 * or restarted mid-call is a retryable `unavailable`, and the worker's verdict on bad input keeps
 * its meaning.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { NobodyError } from "../../domain/errors.ts";
import type { WorkerName } from "../../ports/worker_status.ts";

const WHAT: Record<WorkerName, string> = {
  stt: "speech-to-text",
  tts: "text-to-speech",
  trainer: "voice trainer",
};

export function workerError(worker: WorkerName, error: unknown, signal?: AbortSignal): unknown {
  // A worker crash also surfaces as Canceled; only our own signal makes it an abort.
  if (signal?.aborted) return signal.reason;
  if (error instanceof NobodyError) return error;
  if (!(error instanceof ConnectError)) {
    return new NobodyError(
      "unavailable",
      `the ${WHAT[worker]} worker call failed: ${String(error)}`,
      { cause: error },
    );
  }
  switch (error.code) {
    case Code.InvalidArgument:
    case Code.FailedPrecondition:
    case Code.OutOfRange:
      return new NobodyError("invalid_request", error.rawMessage, { cause: error });
    case Code.NotFound:
      return new NobodyError("not_found", error.rawMessage, { cause: error });
    case Code.DeadlineExceeded:
      return new NobodyError("unavailable", `the ${WHAT[worker]} worker did not answer in time`, {
        cause: error,
      });
    default:
      return new NobodyError(
        "unavailable",
        `the ${WHAT[worker]} worker stopped during the request (${
          Code[error.code]
        }); it restarts by itself, try again`,
        { cause: error },
      );
  }
}
