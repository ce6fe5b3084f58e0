/**
 * @module
 * Abort signals for "the client behind this request has gone". Deno's server notices a closed
 * connection only when it next reads from it, which it does not while a handler works on a
 * request whose body it has read: a long upload analysis ran to the end for nobody. The
 * connection guard tags each request with its connection and reports when that connection ends.
 */
import type { Context } from "hono";
import { RELAY_HEADER } from "./connection_guard.ts";

export class ClientGone {
  readonly #controllers = new Map<string, AbortController>();

  /** Aborts when the request's connection ends, or when the request's own signal does. */
  signal(request: Request): AbortSignal {
    const id = request.headers.get(RELAY_HEADER);
    if (id === null) return request.signal;
    let controller = this.#controllers.get(id);
    if (!controller) {
      controller = new AbortController();
      this.#controllers.set(id, controller);
    }
    return AbortSignal.any([request.signal, controller.signal]);
  }

  /** The connection ended: requests on it are abandoned. */
  closed(id: string): void {
    const controller = this.#controllers.get(id);
    if (!controller) return;
    this.#controllers.delete(id);
    controller.abort(new DOMException("the client closed the connection", "AbortError"));
  }
}

/** The signal of a request in a route: its client leaving aborts it. */
export function requestSignal(c: Context, gone: ClientGone | undefined): AbortSignal {
  return gone ? gone.signal(c.req.raw) : c.req.raw.signal;
}
