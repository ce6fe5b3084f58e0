/**
 * @module
 * Response headers every answer carries: no MIME sniffing, no referrer, no framing, and no caching
 * unless a route chose its own Cache-Control.
 */
import type { MiddlewareHandler } from "hono";

export function secureHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Frame-Options", "DENY");
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  };
}
