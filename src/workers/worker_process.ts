/**
 * @module
 * One running worker process: spawned in its own process group with a stdin pipe the worker
 * watches (so it exits when the core dies), ready once it prints its "ready" line, its JSON log
 * lines forwarded to the core's logger.
 */
import { NobodyError } from "../domain/errors.ts";
import type { Logger } from "../ports/logger.ts";
import type { WorkerName } from "../ports/worker_status.ts";
import type { WorkerLaunch } from "./worker_launch.ts";

export interface StartOptions {
  readonly name: WorkerName;
  readonly logger: Logger;
  /** Loading a model can take a while; past this the start counts as failed. */
  readonly readyTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export class WorkerProcess {
  readonly pid: number;
  /** Resolves when the process has exited, with how. */
  readonly exited: Promise<Deno.CommandStatus>;

  private constructor(pid: number, exited: Promise<Deno.CommandStatus>) {
    this.pid = pid;
    this.exited = exited;
  }

  /** Spawns the worker and resolves once it serves; kills it and rejects if it does not. */
  static async start(launch: WorkerLaunch, options: StartOptions): Promise<WorkerProcess> {
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(launch.command, {
        args: [...launch.args],
        env: launch.env as Record<string, string>,
        cwd: launch.cwd,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (error) {
      throw new NobodyError(
        "unavailable",
        `cannot start the ${options.name} worker (${launch.command}): ${error}`,
      );
    }
    const lastLines: string[] = [];
    const logs = forwardLogs(child.stderr, options, lastLines);
    const exited = child.status.then(async (status) => {
      await logs;
      return status;
    });
    const worker = new WorkerProcess(child.pid, exited);
    try {
      await waitReady(child.stdout, exited, options, lastLines);
      return worker;
    } catch (error) {
      worker.kill("SIGKILL");
      await exited;
      throw error;
    }
  }

  /** Signals the whole process group, so engine subprocesses go too. */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    for (const target of [-this.pid, this.pid]) {
      try {
        Deno.kill(target, signal);
        return;
      } catch {
        // The group may not exist yet (the worker makes it at start); try the process itself.
      }
    }
  }
}

async function waitReady(
  stdout: ReadableStream<Uint8Array>,
  exited: Promise<Deno.CommandStatus>,
  options: StartOptions,
  lastLines: string[],
): Promise<void> {
  const lines = stdout.pipeThrough(new TextDecoderStream()).pipeThrough(new LineSplitter());
  const reader = lines.getReader();
  const timeout = AbortSignal.timeout(options.readyTimeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
  });
  const exitedEarly = exited.then((status): never => {
    const tail = lastLines.length > 0 ? `: ${lastLines.join(" | ")}` : "";
    throw new NobodyError(
      "unavailable",
      `the ${options.name} worker exited with code ${status.code} before it was ready${tail}`,
    );
  });
  try {
    while (true) {
      const next = await Promise.race([reader.read(), aborted, exitedEarly]);
      if (next.done) {
        await exitedEarly;
        return;
      }
      if (next.value.includes('"event": "ready"') || next.value.includes('"event":"ready"')) break;
    }
  } catch (error) {
    if (timeout.aborted && !options.signal?.aborted) {
      throw new NobodyError(
        "unavailable",
        `the ${options.name} worker was not ready within ${options.readyTimeoutMs} ms`,
      );
    }
    throw error;
  } finally {
    exitedEarly.catch(() => {});
    aborted.catch(() => {});
  }
  // Keep draining stdout so the worker never blocks on a full pipe.
  (async () => {
    try {
      while (!(await reader.read()).done) { /* drain */ }
    } catch {
      // the process went away
    }
  })();
}

async function forwardLogs(
  stderr: ReadableStream<Uint8Array>,
  options: StartOptions,
  lastLines: string[],
) {
  const lines = stderr.pipeThrough(new TextDecoderStream()).pipeThrough(new LineSplitter());
  try {
    for await (const line of lines) {
      if (line.trim() === "") continue;
      lastLines.push(line.slice(0, 300));
      if (lastLines.length > 3) lastLines.shift();
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line);
      } catch {
        options.logger.warn("worker output", { worker: options.name, line: line.slice(0, 2_000) });
        continue;
      }
      const { level, msg, ts: _ts, pii, ...fields } = record;
      const write = level === "error"
        ? options.logger.error
        : level === "warn"
        ? options.logger.warn
        : options.logger.info;
      write.call(options.logger, String(msg ?? "worker log"), {
        worker: options.name,
        ...fields,
        pii: pii as Record<string, unknown> | undefined,
      });
    }
  } catch {
    // the pipe closed with the process
  }
}

class LineSplitter extends TransformStream<string, string> {
  constructor() {
    let buffer = "";
    super({
      transform(chunk, controller) {
        buffer += chunk;
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        for (const part of parts) controller.enqueue(part);
      },
      flush(controller) {
        if (buffer) controller.enqueue(buffer);
      },
    });
  }
}
