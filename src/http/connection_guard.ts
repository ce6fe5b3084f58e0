/**
 * @module
 * The TCP front door. Deno.serve has no header timeout and no connection cap, so a local process
 * without a token could hold connections until the core ran out of descriptors and died. This
 * guard accepts on the public port and relays each connection to the real server on a private
 * Unix socket, under limits: a request head must arrive within `headerTimeoutMs`, at most
 * `maxPending` connections may still be waiting for theirs, at most `maxConnections` are open,
 * and a keep-alive connection left idle after its response is closed. Past a limit the oldest
 * waiting or idle connection makes room; no accept or relay error ever ends the process.
 */
import type { Logger } from "../ports/logger.ts";
import { concatBytes } from "../lib/bytes.ts";

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
  /** Told when a relayed connection ends, with the id its requests carried. */
  readonly onClosed?: (relayId: string) => void;
  readonly signal?: AbortSignal;
}

export interface GuardStats {
  open: number;
  pending: number;
  refused: number;
  evicted: number;
  timedOut: number;
}

interface Relay {
  readonly id: string;
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

/** The header that names the relayed connection a request came on. */
export const RELAY_HEADER = "x-nobody-relay";
const RELAY_PATTERN = new RegExp(`^${RELAY_HEADER}\\s*:`, "i");

/** Request heads are a few hundred bytes; 16 KiB is hono's and most servers' limit too. */
const MAX_HEAD_BYTES = 16 * 1024;
const CHUNK_BYTES = 64 * 1024;
/** How often open connections are checked against their deadlines (only while there are some). */
const TICK_MS = 1_000;

export class ConnectionGuard {
  readonly #options: GuardOptions;
  readonly #listener: Deno.TcpListener;
  readonly #relays = new Set<Relay>();
  readonly stats: GuardStats = { open: 0, pending: 0, refused: 0, evicted: 0, timedOut: 0 };
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
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
          return; // the listener was closed
        }
        // Out of descriptors (EMFILE) or a connection reset before accept: free a descriptor
        // held by the oldest waiting connection, wait a little, go on.
        const victim = this.#oldest((r) => r.pending) ??
          this.#oldest((r) => !r.upgraded && r.lastFromServer);
        if (victim !== undefined) {
          this.stats.evicted++;
          this.#end(victim);
        }
        const now = Date.now();
        if (now - this.#lastAcceptError > 10_000) {
          this.#options.logger.warn("accepting a connection failed", { error: String(error) });
        }
        this.#lastAcceptError = now;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (!this.#makeRoom()) {
        this.stats.refused++;
        closeQuietly(conn);
        continue;
      }
      // Nagle's algorithm would hold a small write (an event, a 20 ms audio frame) until the
      // client acknowledged the last one: milliseconds added to every reply's first audio.
      try {
        conn.setNoDelay(true);
      } catch {
        // the client has gone already; the relay finds out
      }
      this.#relay(conn);
    }
  }

  /**
   * Past a limit the oldest connection still waiting for its head goes, then the oldest idle
   * keep-alive one: a flood of silent connections churns among itself while a real client, whose
   * head arrives in milliseconds, gets through. Nothing busy is ever dropped.
   */
  #makeRoom(): boolean {
    const { maxConnections, maxPending } = this.#options;
    if (this.stats.pending >= maxPending || this.stats.open >= maxConnections) {
      const victim = this.#oldest((r) => r.pending) ??
        (this.stats.open >= maxConnections
          ? this.#oldest((r) => !r.upgraded && r.lastFromServer)
          : undefined);
      if (victim === undefined) return false;
      this.stats.evicted++;
      this.#end(victim);
    }
    return this.stats.open < maxConnections && this.stats.pending < maxPending;
  }

  #oldest(match: (relay: Relay) => boolean): Relay | undefined {
    // Insertion order is age order.
    for (const relay of this.#relays) if (match(relay)) return relay;
    return undefined;
  }

  #relay(client: Deno.Conn): void {
    const now = Date.now();
    const relay: Relay = {
      id: crypto.randomUUID(),
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
    const buffer = new Uint8Array(CHUNK_BYTES);
    // A request head being collected: the first one, and each that follows a response.
    let head: Uint8Array | null = new Uint8Array(0);
    while (!relay.closed) {
      const n = await relay.client.read(buffer);
      if (n === null) break;
      relay.last = Date.now();
      let bytes: Uint8Array = buffer.subarray(0, n);
      if (head === null && relay.lastFromServer && !relay.upgraded) head = new Uint8Array(0);
      relay.lastFromServer = false;
      if (head !== null) {
        head = concatBytes(head, bytes);
        const end = endOfHead(head);
        if (end === -1) {
          if (head.length > MAX_HEAD_BYTES) return;
          continue;
        }
        if (relay.pending) {
          relay.pending = false;
          this.stats.pending--;
        }
        bytes = concatBytes(tagged(head.subarray(0, end), relay.id), head.subarray(end));
        head = null;
      }
      if (relay.upstream === null) {
        relay.upstream = await Deno.connect({ transport: "unix", path: this.#options.upstream });
        if (relay.closed) return;
        this.#serverToClient(relay, relay.upstream).catch(() => {}).finally(() => this.#end(relay));
      }
      await writeAll(relay.upstream, bytes);
    }
    // The client is gone (or half-closed, which no HTTP client here does): the relay ends, and
    // onClosed tells the server, which may not notice by itself.
  }

  async #serverToClient(relay: Relay, upstream: Deno.Conn): Promise<void> {
    const buffer = new Uint8Array(CHUNK_BYTES);
    let first = true;
    while (!relay.closed) {
      const n = await upstream.read(buffer);
      if (n === null) return;
      if (first && startsWith(buffer, n, "HTTP/1.1 101")) relay.upgraded = true;
      first = false;
      relay.last = Date.now();
      // "100 Continue" asks for the request's body: what the client sends next is not a new head.
      if (!startsWith(buffer, n, "HTTP/1.1 100 ")) relay.lastFromServer = true;
      await writeAll(relay.client, buffer.subarray(0, n));
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
    this.#options.onClosed?.(relay.id);
    if (this.#relays.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}

/** The index just past the head's blank line, or -1 while it has not arrived. */
function endOfHead(bytes: Uint8Array): number {
  for (let i = 3; i < bytes.length; i++) {
    if (bytes[i] === 10 && bytes[i - 1] === 13 && bytes[i - 2] === 10 && bytes[i - 3] === 13) {
      return i + 1;
    }
  }
  return -1;
}

/**
 * The head with this connection's id in {@linkcode RELAY_HEADER} (a client's own is dropped), so
 * the server can tell when the client behind a request has gone.
 */
function tagged(head: Uint8Array, id: string): Uint8Array {
  const text = String.fromCharCode(...head);
  const lines = text.slice(0, -4).split("\r\n").filter((line, i) =>
    i === 0 || !RELAY_PATTERN.test(line)
  );
  lines.push(`${RELAY_HEADER}: ${id}`);
  const out = lines.join("\r\n") + "\r\n\r\n";
  return Uint8Array.from(out, (c) => c.charCodeAt(0));
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
