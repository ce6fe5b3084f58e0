/**
 * @module
 * The TCP front door. Deno.serve has no header timeout and no connection cap, so a local process
 * without a token could hold connections until the core ran out of descriptors and died. This
 * guard accepts on the public port and relays each connection to the real server on a private
 * Unix socket, under limits: a request head must arrive within `headerTimeoutMs`, at most
 * `maxPending` connections may still be waiting for theirs, at most `maxConnections` are open,
 * and a keep-alive connection left idle after its response is closed. Past a limit a connection
 * is closed at once; no accept or relay error ever ends the process.
 */
import type { Logger } from "../ports/logger.ts";

export interface GuardOptions {
  readonly hostname: string;
  readonly port: number;
  /** The Unix socket the HTTP server listens on. */
  readonly upstream: string;
  readonly maxConnections: number;
  readonly maxPending: number;
  /** Time for a new connection to send a whole request head. */
  readonly headerTimeoutMs: number;
  /** Time a connection may stay silent after the server's last bytes (keep-alive). */
  readonly keepAliveTimeoutMs: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export interface GuardStats {
  open: number;
  pending: number;
  refused: number;
  timedOut: number;
}

interface Relay {
  readonly client: Deno.Conn;
  readonly opened: number;
  upstream: Deno.Conn | null;
  /** Until the first request head is complete. */
  pending: boolean;
  /** After a 101 Switching Protocols: a WebSocket, which Deno pings itself. */
  upgraded: boolean;
  last: number;
  lastFromServer: boolean;
  closed: boolean;
}

/** Request heads are a few hundred bytes; 16 KiB is hono's and most servers' limit too. */
const MAX_HEAD_BYTES = 16 * 1024;
const CHUNK_BYTES = 64 * 1024;
/** How often open connections are checked against their deadlines (only while there are some). */
const TICK_MS = 1_000;

export class ConnectionGuard {
  readonly #options: GuardOptions;
  readonly #listener: Deno.TcpListener;
  readonly #relays = new Set<Relay>();
  readonly stats: GuardStats = { open: 0, pending: 0, refused: 0, timedOut: 0 };
  readonly finished: Promise<void>;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastAcceptError = 0;

  constructor(options: GuardOptions) {
    this.#options = options;
    this.#listener = Deno.listen({ hostname: options.hostname, port: options.port });
    options.signal?.addEventListener("abort", () => this.close(), { once: true });
    this.finished = this.#accept();
  }

  get port(): number {
    return this.#listener.addr.port;
  }

  close(): void {
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    for (const relay of this.#relays) this.#end(relay);
  }

  async #accept(): Promise<void> {
    while (true) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
          return; // the listener was closed
        }
        // Out of descriptors (EMFILE) or a connection reset before accept: wait a little, go on.
        const now = Date.now();
        if (now - this.#lastAcceptError > 10_000) {
          this.#options.logger.warn("accepting a connection failed", { error: String(error) });
        }
        this.#lastAcceptError = now;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (
        this.stats.open >= this.#options.maxConnections ||
        this.stats.pending >= this.#options.maxPending
      ) {
        this.stats.refused++;
        closeQuietly(conn);
        continue;
      }
      this.#relay(conn);
    }
  }

  #relay(client: Deno.Conn): void {
    const now = Date.now();
    const relay: Relay = {
      client,
      opened: now,
      upstream: null,
      pending: true,
      upgraded: false,
      last: now,
      lastFromServer: false,
      closed: false,
    };
    this.#relays.add(relay);
    this.stats.open++;
    this.stats.pending++;
    this.#timer ??= setInterval(() => this.#tick(), TICK_MS);
    this.#run(relay).catch(() => {}).finally(() => this.#end(relay));
  }

  async #run(relay: Relay): Promise<void> {
    const head = await this.#readHead(relay);
    if (head === null) return;
    relay.upstream = await Deno.connect({ transport: "unix", path: this.#options.upstream });
    if (relay.closed) return;
    await writeAll(relay.upstream, head);
    await Promise.race([
      this.#pump(relay, relay.client, relay.upstream, false),
      this.#pump(relay, relay.upstream, relay.client, true),
    ]);
  }

  /** Reads until the end of the first request head; null when the client gave up or cheated. */
  async #readHead(relay: Relay): Promise<Uint8Array | null> {
    let head = new Uint8Array(0);
    const buffer = new Uint8Array(MAX_HEAD_BYTES);
    while (true) {
      const n = await relay.client.read(buffer);
      if (n === null) return null;
      const next = new Uint8Array(head.length + n);
      next.set(head);
      next.set(buffer.subarray(0, n), head.length);
      head = next;
      relay.last = Date.now();
      if (endOfHead(head)) break;
      if (head.length > MAX_HEAD_BYTES) return null;
    }
    relay.pending = false;
    this.stats.pending--;
    return head;
  }

  async #pump(relay: Relay, from: Deno.Conn, to: Deno.Conn, fromServer: boolean): Promise<void> {
    const buffer = new Uint8Array(CHUNK_BYTES);
    let first = fromServer;
    while (!relay.closed) {
      const n = await from.read(buffer);
      if (n === null) return;
      if (first && startsWith(buffer, n, "HTTP/1.1 101")) relay.upgraded = true;
      first = false;
      relay.last = Date.now();
      relay.lastFromServer = fromServer;
      await writeAll(to, buffer.subarray(0, n));
    }
  }

  #tick(): void {
    const now = Date.now();
    const { headerTimeoutMs, keepAliveTimeoutMs } = this.#options;
    for (const relay of this.#relays) {
      const late = relay.pending
        ? now - relay.opened > headerTimeoutMs
        : !relay.upgraded && relay.lastFromServer && now - relay.last > keepAliveTimeoutMs;
      if (late) {
        this.stats.timedOut++;
        this.#end(relay);
      }
    }
  }

  #end(relay: Relay): void {
    if (relay.closed) return;
    relay.closed = true;
    this.#relays.delete(relay);
    this.stats.open--;
    if (relay.pending) this.stats.pending--;
    closeQuietly(relay.client);
    if (relay.upstream) closeQuietly(relay.upstream);
    if (this.#relays.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}

function endOfHead(bytes: Uint8Array): boolean {
  for (let i = 3; i < bytes.length; i++) {
    if (bytes[i] === 10 && bytes[i - 1] === 13 && bytes[i - 2] === 10 && bytes[i - 3] === 13) {
      return true;
    }
  }
  return false;
}

function startsWith(bytes: Uint8Array, length: number, text: string): boolean {
  if (length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed by the other side
  }
}
