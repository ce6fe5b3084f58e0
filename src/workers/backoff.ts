/**
 * @module
 * Restart delays for a crashed worker: quick at first (a one-off crash costs little), doubling to
 * a ceiling so an engine that cannot start does not spin the CPU.
 */

export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /** A worker that stayed up this long counts as healthy again: the next crash starts over. */
  readonly resetAfterMs: number;
}

/** 250 ms covers a crash-on-bad-input; 30 s caps the retry rate of a worker that cannot start. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialMs: 250,
  maxMs: 30_000,
  resetAfterMs: 60_000,
};

export function backoffMs(policy: BackoffPolicy, consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  return Math.min(policy.maxMs, policy.initialMs * 2 ** (consecutiveFailures - 1));
}

/**
 * The failure count after a worker stopped having run for `upMs`: one more, or a fresh 1 when it
 * had stayed up long enough to count as healthy (so a crash a day never waits 30 s).
 */
export function failuresAfter(policy: BackoffPolicy, failures: number, upMs: number): number {
  return (upMs >= policy.resetAfterMs ? 0 : failures) + 1;
}
