/**
 * @module
 * What the service reports about its ML workers: one entry per process of each engine's pool.
 */

export type WorkerName = "stt" | "tts" | "trainer";
/** `unloading`/`unloaded`: stopped after its keep-alive without calls; the next call loads it. */
export type WorkerState =
  | "starting"
  | "ready"
  | "restarting"
  | "unloading"
  | "unloaded"
  | "stopped";

export interface WorkerStatus {
  readonly name: WorkerName;
  /** Its place in the pool, from 0. */
  readonly member: number;
  readonly poolSize: number;
  readonly state: WorkerState;
  readonly pid: number | null;
  readonly engine: string | null;
  readonly engineDetail: string | null;
  /** Engines passed over, each with the reason. */
  readonly fallbacks: readonly string[];
  readonly restarts: number;
  readonly lastError: string | null;
  /** When the current process became ready (ms since epoch), or null. */
  readonly readySince: number | null;
  /** Calls on it now, and since the service started. */
  readonly activeCalls: number;
  readonly callsServed: number;
}
