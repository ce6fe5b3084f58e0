/**
 * @module
 * The one place where failures become HTTP responses: `{ error: { code, message } }` with a
 * status that follows from the code.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorCode, type Failure, NobodyError } from "../domain/errors.ts";
import type { Logger } from "../ports/logger.ts";

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_id: 400,
  unauthorized: 401,
  forbidden_host: 403,
  forbidden_origin: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  not_implemented: 501,
  unavailable: 503,
  insufficient_storage: 507,
};

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

export function errorBody(failure: Failure): { error: Failure } {
  return { error: { code: failure.code, message: failure.message } };
}

export function errorResponse(failure: Failure, headers?: HeadersInit): Response {
  const response = Response.json(errorBody(failure), { status: statusOf(failure.code), headers });
  if (failure.code === "unauthorized") {
    response.headers.set("WWW-Authenticate", 'Bearer realm="nobody"');
  }
  return response;
}

/** Hono's onError: expected failures keep their code; anything else is logged and hidden. */
export function onError(logger: Logger): (error: Error, c: Context) => Response {
  return (error, c) => {
    if (error instanceof NobodyError) return errorResponse(error);
    if (error instanceof DOMException && error.name === "AbortError") {
      // The client left (its request's signal aborted the work): nobody reads this answer.
      logger.info("request abandoned by its client", { method: c.req.method, path: c.req.path });
      return new Response(null, { status: 499 });
    }
    logger.error("request failed", {
      method: c.req.method,
      path: c.req.path,
      error: error.stack ?? String(error),
    });
    return errorResponse({
      code: "internal",
      message: "internal error; the service log has details",
    });
  };
}

export function notFoundRoute(c: Context): Response {
  return errorResponse({
    code: "not_found",
    message: `no route for ${c.req.method} ${c.req.path}`,
  });
}
