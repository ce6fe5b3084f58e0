/**
 * @module
 * One process of an engine's pool as the supervisor tracks it, and which member takes a call.
 */
import type { WorkerConnection, WorkerHealth } from "../ports/worker_connection.ts";
import type { WorkerName, WorkerState } from "../ports/worker_status.ts";
import type { WorkerProcess } from "./worker_process.ts";

export interface Member<T> {
  readonly name: WorkerName;
  readonly index: number;
  state: WorkerState;
  process: WorkerProcess | null;
  connection: WorkerConnection<T> | null;
  health: WorkerHealth | null;
  restarts: number;
  failures: number;
  lastError: string | null;
  readySince: number | null;
  /** Calls leased to it now. */
  active: number;
  /** Calls leased to it since the start, so equal loads take turns. */
  served: number;
}

/**
 * The ready member with the fewest calls in flight (then the fewest served), never the one whose
 * transport is `replacing` (its connection was just lost); null when none is ready.
 */
export function pickMember<T>(members: readonly Member<T>[], replacing?: T): Member<T> | null {
  let best: Member<T> | null = null;
  for (const member of members) {
    if (member.state !== "ready" || !member.connection) continue;
    if (replacing !== undefined && member.connection.transport === replacing) continue;
    if (
      !best || member.active < best.active ||
      (member.active === best.active && member.served < best.served)
    ) best = member;
  }
  return best;
}
