/**
 * @module
 * The API token, in the three ways clients can send it: `Authorization: Bearer` (programs), the
 * dashboard's HttpOnly SameSite=Strict session cookie (a signed-in browser), or `?token=` on a
 * WebSocket upgrade (browsers cannot set headers on one). Public paths need none.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { errorResponse } from "../errors.ts";
import { sameSecret } from "../../lib/same_secret.ts";

export interface ApiTokenOptions {
  readonly token: string;
  /** The dashboard cookie's name; its value is a signed-in browser's random session id. */
  readonly cookieName: string;
  readonly isSignedIn: (sessionId: string) => boolean;
  /** Paths served without a token: the dashboard's static files and its login. */
  readonly isPublic: (method: string, path: string) => boolean;
}

/** Why the request is not authenticated, or null when it is. */
export function tokenFailure(
  request: Request,
  credentials: { authorization?: string; cookie?: string },
  options: Pick<ApiTokenOptions, "token" | "isSignedIn">,
): string | null {
  if (credentials.authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization);
    if (!match) return "the Authorization header must be: Bearer <token>";
    return sameSecret(match[1], options.token) ? null : "the API token is not valid";
  }
  if (credentials.cookie !== undefined) {
    return options.isSignedIn(credentials.cookie)
      ? null
      : "the dashboard session is not valid or was logged out; sign in again with `nobody ui`";
  }
  const queryToken = request.headers.get("upgrade")?.toLowerCase() === "websocket"
    ? new URL(request.url).searchParams.get("token")
    : null;
  if (queryToken !== null) {
    return sameSecret(queryToken, options.token) ? null : "the API token is not valid";
  }
  return "missing API token: send Authorization: Bearer <token> (`nobody token` prints it)";
}

export function apiToken(options: ApiTokenOptions): MiddlewareHandler {
  return async (c, next) => {
    if (!options.isPublic(c.req.method, c.req.path)) {
      const failure = tokenFailure(c.req.raw, {
        authorization: c.req.header("authorization"),
        cookie: getCookie(c, options.cookieName),
      }, options);
      if (failure) return errorResponse({ code: "unauthorized", message: failure });
    }
    await next();
  };
}
