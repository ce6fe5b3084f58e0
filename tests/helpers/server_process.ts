/**
 * @module
 * Runs `main.ts serve` as a real process on a free port, as a person or launchd would.
 */
import { fileURLToPath } from "node:url";

export const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly dataDir: string;
  readonly child: Deno.ChildProcess;
  /** The last 8,000 characters the server wrote to stderr. */
  stderrTail(): string;
  /** What the server printed on stdout so far (its first 8,000 characters). */
  stdout(): string;
  /** Sends SIGTERM and waits for the exit status. */
  stop(): Promise<Deno.CommandStatus>;
}

/** `prefix`: a command that runs the CLI, such as `prlimit --nofile=1024:1024`. */
export function cli(args: string[], env: Record<string, string> = {}, prefix: string[] = []) {
  const command = [...prefix, Deno.execPath(), "run", "--allow-all", MAIN, ...args];
  return new Deno.Command(command[0], {
    args: command.slice(1),
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  });
}

export async function runCli(args: string[], env: Record<string, string> = {}) {
  const out = await cli(args, env).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/**
 * Starts `serve`; the ML workers stay off unless `env` turns them on (NOBODY_WORKERS), with one
 * process per engine unless `env` sizes the pools (0 for the service's own sizing).
 */
/** Tests start fast with one process per engine; the pool tests size theirs. */
export const ONE_PROCESS_EACH = { NOBODY_STT_PROCESSES: "1", NOBODY_TTS_PROCESSES: "1" };
/** Benchmarks measure what a user runs: pools the service sizes itself. */
export const AUTO_POOLS = { NOBODY_STT_PROCESSES: "0", NOBODY_TTS_PROCESSES: "0" };

export async function startServer(
  dataDir: string,
  args: string[] = [],
  env: Record<string, string> = {},
  options: { prefix?: string[] } = {},
): Promise<ServerProcess> {
  const child = cli(["serve", "--port", "0", "--data-dir", dataDir, ...args], {
    NOBODY_WORKERS: "false",
    ...ONE_PROCESS_EACH,
    ...env,
  }, options.prefix)
    .spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let url: string | null = null;
  let stderrTail = "";
  while (url === null) {
    const { done, value } = await reader.read();
    if (done) {
      const err = await new Response(child.stderr).text();
      throw new Error(`server exited before listening: ${seen}${err}`);
    }
    seen += value;
    url = /listening on (http:\/\/\S+)/.exec(seen)?.[1] ?? null;
  }
  // Keep draining both pipes so the server never blocks on a full pipe.
  const drained = Promise.all([
    (async () => {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        if (seen.length < 8_000) seen += value;
      }
    })(),
    child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({
        write: (text) => {
          stderrTail = (stderrTail + text).slice(-8_000);
        },
      }),
    ),
  ]);
  let exited: Deno.CommandStatus | null = null;
  child.status.then((status) => exited = status);
  const token = (await Deno.readTextFile(`${dataDir}/token`)).trim();
  return {
    url,
    port: Number(new URL(url).port),
    token,
    dataDir,
    child,
    stderrTail: () => stderrTail,
    stdout: () => seen,
    stop: async () => {
      if (exited !== null) {
        await drained;
        throw new Error(
          `the server had already exited (code ${exited.code}, signal ${exited.signal}):\n${stderrTail}`,
        );
      }
      child.kill("SIGTERM");
      const status = await child.status;
      await drained;
      return status;
    },
  };
}

/** Sends a hand-written HTTP/1.1 request over TCP, so tests control every header (Host included). */
export async function rawRequest(port: number, head: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(head.replace(/\n/g, "\r\n") + "\r\n\r\n"));
    const chunks: string[] = [];
    const buffer = new Uint8Array(64 * 1024);
    const decoder = new TextDecoder();
    while (true) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(decoder.decode(buffer.subarray(0, n), { stream: true }));
      const text = chunks.join("");
      const end = text.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (end >= 0 && length !== undefined && text.length >= end + 4 + Number(length)) break;
    }
    return chunks.join("");
  } finally {
    conn.close();
  }
}

/** A one-time dashboard sign-in link from the running server, as `nobody ui` gets it. */
export async function signInUrl(server: { url: string; token: string }): Promise<string> {
  const response = await fetch(`${server.url}/ui/login-codes`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.token}` },
  });
  if (response.status !== 201) throw new Error(`login code: ${response.status}`);
  return `${server.url}${(await response.json()).path}`;
}
