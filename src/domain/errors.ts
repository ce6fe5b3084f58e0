/**
 * @module
 * Stable error codes shared by every layer. Expected failures carry one of these codes; the HTTP and
 * WebSocket adapters map them to status codes and error events in exactly one place each.
 */

export type ErrorCode =
  | "invalid_request"
  | "invalid_json"
  | "invalid_id"
  | "invalid_transition"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  /** A limit on concurrent work (sessions, connections) is reached; retry after freeing some. */
  | "too_many_requests"
  | "unsupported_media_type"
  | "unauthorized"
  | "forbidden_host"
  | "forbidden_origin"
  | "not_implemented"
  /** A device or worker that the request needs is missing or down; retrying later may work. */
  | "unavailable"
  /** The disk holding the data dir is full; deleting samples or voices frees space. */
  | "insufficient_storage"
  | "internal";

/** The value an expected failure carries: a stable code and a sentence a person can act on. */
export interface Failure {
  readonly code: ErrorCode;
  readonly message: string;
}

/** A thrown expected failure; adapters translate it, anything else is an internal error. */
export class NobodyError extends Error implements Failure {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NobodyError";
    this.code = code;
  }

  static from(failure: Failure): NobodyError {
    return new NobodyError(failure.code, failure.message);
  }
}

export function notFound(kind: string, id: string): NobodyError {
  return new NobodyError("not_found", `${kind} ${id} does not exist`);
}

/** A request body that stopped before its end: the client went away or the connection broke. */
export class BodyCutOff extends NobodyError {
  constructor(options?: ErrorOptions) {
    super(
      "invalid_request",
      "the request body ended before its last byte; nothing was stored",
      options,
    );
    this.name = "BodyCutOff";
  }
}
