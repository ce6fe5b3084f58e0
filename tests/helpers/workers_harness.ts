/**
 * @module
 * The real Python workers under the real supervisor (main.ts `createWorkers`) on a temp data dir.
 */
import { createWorkers, type Workers } from "../../main.ts";
import { concatSamples } from "../../src/audio/samples.ts";
import { ConsoleLogger } from "../../src/adapters/log/console_logger.ts";
import type { BackoffPolicy } from "../../src/workers/backoff.ts";
import { testConfig } from "./core_harness.ts";

export interface WorkersHarness extends Workers {
  readonly dataDir: string;
  readonly logs: string[];
  /** Resolves once the named worker serves; returns its pid. */
  ready(name: "stt" | "tts" | "trainer"): Promise<number>;
  /** Resolves once the worker has been restarted `restarts` times in all and serves again. */
  restarted(name: "stt" | "tts", restarts: number): Promise<number>;
}

export async function withWorkers(
  fn: (h: WorkersHarness) => Promise<void>,
  options: { env?: Record<string, string>; backoff?: BackoffPolicy } = {},
): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-workers-" });
  const logs: string[] = [];
  const workers = await createWorkers(
    testConfig(dataDir, options.env),
    new ConsoleLogger({ level: "info", write: (line) => logs.push(line) }),
    { backoff: options.backoff },
  );
  const ready = async (name: "stt" | "tts" | "trainer") => {
    await workers.supervisor.acquire(name, { timeoutMs: 30_000 });
    return workers.supervisor.status().find((s) => s.name === name)!.pid!;
  };
  const restarted = async (name: "stt" | "tts", restarts: number) => {
    // The client can see a dead stream before the supervisor has seen the exit: wait for it.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const status = workers.supervisor.status().find((s) => s.name === name)!;
      if (status.restarts >= restarts && status.state === "ready") return status.pid!;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`${name} did not come back after restart ${restarts}`);
  };
  try {
    await fn({ ...workers, dataDir, logs, ready, restarted });
  } finally {
    await workers.supervisor.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** True while the process exists and is not a zombie (a killed child awaiting its reaper). */
export function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Collects a whole synthesis into one buffer. */
export async function collect(
  chunks: AsyncIterable<{ samples: Float32Array }>,
): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const chunk of chunks) parts.push(chunk.samples);
  return concatSamples(parts);
}
