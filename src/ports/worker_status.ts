/**
 * @module
 * What the service reports about its ML workers.
 */

export type WorkerName = "stt" | "tts" | "trainer";
export type WorkerState = "starting" | "ready" | "restarting" | "stopped";

export interface WorkerStatus {
  readonly name: WorkerName;
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
}
