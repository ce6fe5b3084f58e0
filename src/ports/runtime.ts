/**
 * @module
 * Time and identity, injected so that services and tests stay deterministic.
 */
import type { IdKind } from "../domain/ids.ts";

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export interface IdSource {
  next(kind: IdKind): string;
}
