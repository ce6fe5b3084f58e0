/**
 * @module
 * Refuses cross-origin requests (and WebSocket hijacking): an Origin must be this very host, and a
 * browser's Sec-Fetch-Site must not be another site. A top-level GET navigation (a link to the
 * dashboard) is still let through, to be judged by its token.
 */
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "../errors.ts";

export function sameOrigin(): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    const origin = c.req.header("origin");
    if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) {
      return errorResponse({
        code: "forbidden_origin",
        message: `cross-origin requests from ${JSON.stringify(origin.slice(0, 100))} are refused`,
      });
    }
    const site = c.req.header("sec-fetch-site");
    const navigating = c.req.header("sec-fetch-mode") === "navigate" && c.req.method === "GET";
    if ((site === "cross-site" || site === "same-site") && !navigating) {
      return errorResponse({
        code: "forbidden_origin",
        message: "requests from another site are refused",
      });
    }
    await next();
  };
}
