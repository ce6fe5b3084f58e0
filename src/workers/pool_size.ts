/**
 * @module
 * How many processes an engine's pool runs when the config leaves it to the service: one per
 * core (a Python engine decodes on one core at a time), as many as a quarter of the memory holds.
 */

import type { PoolSpec } from "./supervisor.ts";

/** Resident memory of one worker process per engine (MB), measured or from the model's size. */
const ENGINE_MB: Readonly<Record<string, number>> = {
  pocketsphinx: 300,
  kyutai: 2_600,
  espeak: 80,
  pocket: 900,
};

/** What `auto` may pick, so its estimate is the largest of them. */
const AUTO: Readonly<Record<"stt" | "tts", readonly string[]>> = {
  stt: ["kyutai", "pocketsphinx"],
  tts: ["pocket", "espeak"],
};

export interface PoolSizeInput {
  readonly kind: "stt" | "tts";
  /** The configured engine name, or "auto". */
  readonly engine: string;
  /** The configured size; 0 asks for this estimate. */
  readonly configured: number;
  readonly cores: number;
  readonly memoryBytes: number;
}

export function poolSize(input: PoolSizeInput): number {
  if (input.configured > 0) return input.configured;
  const candidates = input.engine === "auto" ? AUTO[input.kind] : [input.engine];
  const mb = Math.max(...candidates.map((e) => ENGINE_MB[e] ?? 1_000));
  const byMemory = Math.floor(input.memoryBytes / 4 / (mb * 2 ** 20));
  return Math.max(1, Math.min(input.cores, byMemory, 8));
}

export interface EnginePoolsInput {
  /** The local engine's configured name, or null when a remote server does that job. */
  readonly stt: string | null;
  readonly tts: string | null;
  /** Configured sizes; 0 asks for the estimate. */
  readonly sttProcesses: number;
  readonly ttsProcesses: number;
  readonly keepAliveMs: number;
  readonly cores: number;
  readonly memoryBytes: number;
}

/** The pools the supervisor runs: the local speech engines, and always one trainer. */
export function enginePools(input: EnginePoolsInput): PoolSpec[] {
  const { cores, memoryBytes, keepAliveMs } = input;
  const local = [
    { kind: "stt" as const, engine: input.stt, configured: input.sttProcesses },
    { kind: "tts" as const, engine: input.tts, configured: input.ttsProcesses },
  ];
  return [
    ...local.flatMap(({ kind, engine, configured }) =>
      engine === null ? [] : [{
        name: kind,
        size: poolSize({ kind, engine, configured, cores, memoryBytes }),
        keepAliveMs,
      }]
    ),
    // Training is one job at a time, and sample checks are short: one process serves both.
    { name: "trainer", size: 1, keepAliveMs },
  ];
}
