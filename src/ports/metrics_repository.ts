/**
 * @module
 * Stored per-turn latency figures.
 */
import type { TurnTimings } from "../domain/session_messages.ts";

export interface TurnRecord {
  readonly sessionId: string;
  readonly personaId: string | null;
  readonly at: number;
  readonly timings: TurnTimings;
}

export interface MetricsRepository {
  record(turn: TurnRecord): void;
  /** Newest first. */
  recent(sessionId: string | null, limit: number): TurnRecord[];
}
