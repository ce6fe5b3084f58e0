/**
 * @module
 * Security defaults for every request: a loopback Host (against DNS rebinding), a same-origin
 * Origin (against cross-site requests and WebSocket hijacking), and an API token, sent as
 * `Authorization: Bearer` by programs or as an HttpOnly SameSite=Strict cookie by the dashboard.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { errorResponse } from "./errors.ts";

/** Host names a rebinding attack cannot point at us: loopback literals and "localhost". */
export function isLoopbackHost(host: string): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!match) return false;
  const name = match[1].toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name === "[::1]" || /^127(\.\d{1,3}){3}$/.test(name);
}

/** Equal-time comparison, so response timing does not reveal how much of a token matched. */
export function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

export interface SecurityOptions {
  readonly token: string;
  /** The dashboard cookie's name; its value is a signed-in browser's random session id. */
  readonly cookieName: string;
  readonly isSignedIn: (sessionId: string) => boolean;
  /** Paths served without a token: the dashboard's static files and its login. */
  readonly isPublic: (method: string, path: string) => boolean;
}

export function security(options: SecurityOptions): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    if (!isLoopbackHost(host)) {
      return errorResponse({
        code: "forbidden_host",
        message: `Host ${
          JSON.stringify(host.slice(0, 100))
        } is not a loopback name; use localhost or 127.0.0.1`,
      });
    }
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
        message: `requests from another site are refused`,
      });
    }
    if (!options.isPublic(c.req.method, c.req.path)) {
      const failure = authenticate(
        c.req.raw,
        c.req.header("authorization"),
        getCookie(c, options.cookieName),
        options,
      );
      if (failure) return errorResponse({ code: "unauthorized", message: failure });
    }
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Frame-Options", "DENY");
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  };
}

function authenticate(
  request: Request,
  authorization: string | undefined,
  cookie: string | undefined,
  options: SecurityOptions,
): string | null {
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return "the Authorization header must be: Bearer <token>";
    return sameSecret(match[1], options.token) ? null : "the API token is not valid";
  }
  if (cookie !== undefined) {
    return options.isSignedIn(cookie)
      ? null
      : "the dashboard session is not valid or was logged out; sign in again with `nobody ui`";
  }
  // Browsers cannot set headers on a WebSocket, so programs may pass the token in the query.
  const queryToken = request.headers.get("upgrade")?.toLowerCase() === "websocket"
    ? new URL(request.url).searchParams.get("token")
    : null;
  if (queryToken !== null) {
    return sameSecret(queryToken, options.token) ? null : "the API token is not valid";
  }
  return "missing API token: send Authorization: Bearer <token> (`nobody token` prints it)";
}
