/**
 * @module
 * Refuses any Host but a loopback name, so a DNS-rebinding page cannot reach the service under a
 * name of its own.
 */
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "../errors.ts";

/** Host names a rebinding attack cannot point at us: loopback literals and "localhost". */
export function isLoopbackHost(host: string): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!match) return false;
  const name = match[1].toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name === "[::1]" || /^127(\.\d{1,3}){3}$/.test(name);
}

export function loopbackHost(): MiddlewareHandler {
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
    await next();
  };
}
