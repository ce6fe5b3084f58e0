/**
 * @module
 * Security defaults for every request, in order: the response headers, a loopback Host (against
 * DNS rebinding), a same-origin Origin (against cross-site requests and WebSocket hijacking), and
 * the API token. Each is a small middleware under `security/`, tested beside it.
 */
import type { MiddlewareHandler } from "hono";
import { apiToken, type ApiTokenOptions } from "./security/api_token.ts";
import { loopbackHost } from "./security/loopback_host.ts";
import { sameOrigin } from "./security/same_origin.ts";
import { secureHeaders } from "./security/secure_headers.ts";

export type SecurityOptions = ApiTokenOptions;

export function security(options: SecurityOptions): MiddlewareHandler[] {
  return [secureHeaders(), loopbackHost(), sameOrigin(), apiToken(options)];
}
