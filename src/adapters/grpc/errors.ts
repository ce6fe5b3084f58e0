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
    case Code.ResourceExhausted:
      return new NobodyError(
        "unavailable",
        `the ${
          WHAT[worker]
        } worker is busy with as many calls as it takes; try again (or give it more processes)`,
        { cause: error },
      );
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

/** Socket and HTTP/2 failures: the worker went away, not a verdict the worker gave. */
const LOST = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ENOENT",
  "EPIPE",
  "ERR_HTTP2_STREAM_CANCEL",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_INVALID_SESSION",
]);

/** Whether a call failed because the connection to the worker was lost (a crash, a restart). */
export function connectionLost(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && LOST.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
