/**
 * @module
 * `nobody serve`: the HTTP server in front of the service that main.ts builds. Requests come in
 * through the connection guard (a TCP relay that bounds idle and slow connections) to Deno.serve
 * on a private Unix socket; server.json tells local clients where the service listens.
 */
import type { Config } from "../config/config.ts";
import { START_CODE_TTL_MS } from "../app/dashboard_login.ts";
import { NobodyError } from "../domain/errors.ts";
import type { Logger } from "../ports/logger.ts";
import { ConsoleLogger } from "../adapters/log/console_logger.ts";
import { RecentProblems } from "../adapters/log/recent_problems.ts";
import { privateDataDir } from "../adapters/files/private_dir.ts";
import { socketDirectory } from "../adapters/files/socket_dir.ts";
import { raiseFdLimit } from "../adapters/os/fd_limit.ts";
import { ConnectionGuard } from "../http/connection_guard.ts";
import { ClientGone } from "../http/client_gone.ts";
import { serverFile } from "./ui_command.ts";

/** The running service, as the server sees it. */
export interface Service {
  fetch(request: Request): Response | Promise<Response>;
  /** Tells the status report where the server listens. */
  setUrl(url: string): void;
  /** A one-time dashboard sign-in path, valid for `ttlMs`. */
  signInPath(ttlMs: number): string;
  close(): Promise<void>;
}

export interface ServeDeps {
  readonly version: string;
  /** Builds the workers and the core; `clientGone` reports connections that closed. */
  readonly start: (c: Config, logger: Logger, clientGone: ClientGone) => Promise<Service>;
}

/**
 * Connection limits. Each relayed connection costs three descriptors (client, relay, server side);
 * a quarter of the limit is kept for workers, files and the database.
 */
function connectionLimits(fdLimit: number | null) {
  const budget = Math.floor(((fdLimit ?? 1024) * 3 / 4) / 3);
  return {
    maxConnections: Math.max(32, Math.min(4096, budget)),
    // Connections still sending their first request head: slow or silent ones wait here.
    maxPending: Math.max(16, Math.min(256, Math.floor(budget / 4))),
    // A request head is a few hundred bytes: 10 s is generous for any real client.
    headerTimeoutMs: 10_000,
    // Longer than the 15 s pings of /events, so only a silent keep-alive connection is closed.
    keepAliveTimeoutMs: 30_000,
  };
}

export async function serveCommand(
  c: Config,
  signal: AbortSignal,
  deps: ServeDeps,
): Promise<number> {
  const logger = new RecentProblems(new ConsoleLogger({ level: c.log.level }));
  await privateDataDir(c.dataDir);
  const fds = raiseFdLimit();
  const clientGone = new ClientGone();
  const core = await deps.start(c, logger, clientGone);
  // A throw that escapes a handler is logged; it must never end the service for everyone.
  const survive = (event: Event & { reason?: unknown; error?: unknown }) => {
    event.preventDefault();
    logger.error("uncaught error", { error: String(event.reason ?? event.error) });
  };
  globalThis.addEventListener("unhandledrejection", survive);
  globalThis.addEventListener("error", survive);
  const stop = new AbortController();
  signal.addEventListener("abort", () => stop.abort(), { once: true });
  try {
    const socket = `${await socketDirectory(c.dataDir)}/http.sock`;
    await Deno.remove(socket).catch(() => undefined);
    const server = Deno.serve({
      transport: "unix",
      path: socket,
      signal: stop.signal,
      onListen: () => {},
      onError: (error) => {
        logger.error("request failed", { error: String(error) });
        return new Response(null, { status: 500 });
      },
    }, core.fetch);
    let guard: ConnectionGuard;
    try {
      guard = new ConnectionGuard({
        hostname: c.server.host,
        port: c.server.port,
        upstream: socket,
        logger,
        signal: stop.signal,
        onClosed: (id) => clientGone.closed(id),
        ...connectionLimits(fds?.after ?? null),
      });
    } catch (error) {
      stop.abort();
      await server.finished;
      if (error instanceof Deno.errors.AddrInUse) {
        throw new NobodyError(
          "conflict",
          `port ${c.server.port} on ${c.server.host} is in use; is nobody already running? ` +
            "(pass --port to use another)",
        );
      }
      throw error;
    }
    const host = c.server.host.includes(":") ? `[${c.server.host}]` : c.server.host;
    const url = `http://${host}:${guard.port}`;
    core.setUrl(url);
    Deno.writeTextFileSync(
      serverFile(c),
      JSON.stringify({ url, pid: Deno.pid, version: deps.version }) + "\n",
      { mode: 0o600 },
    );
    logger.info("listening", { url, fdLimit: fds?.after ?? null });
    console.log(`nobody ${deps.version} listening on ${url}`);
    // The way in, as Jupyter prints it: a one-time link (not the token), and how to get another.
    console.log(`dashboard: ${url}${core.signInPath(START_CODE_TTL_MS)}`);
    console.log(
      `  (signs in one browser, once, within ${START_CODE_TTL_MS / 60_000} min; ` +
        `later: \`nobody ui --open\`; data in ${c.dataDir})`,
    );
    await Promise.all([server.finished, guard.finished]);
    await Deno.remove(serverFile(c)).catch(() => undefined);
    await Deno.remove(socket).catch(() => undefined);
    logger.info("stopped");
    return 0;
  } finally {
    globalThis.removeEventListener("unhandledrejection", survive);
    globalThis.removeEventListener("error", survive);
    await core.close();
  }
}
