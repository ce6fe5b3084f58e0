/**
 * @module
 * The states of a push-to-talk session. How they change is the pure core in turn.ts.
 */

export const SESSION_STATES = [
  "idle",
  "recording",
  "processing",
  "synthesizing",
  "playing",
] as const;
export type SessionState = typeof SESSION_STATES[number];
