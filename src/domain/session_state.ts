/**
 * @module
 * The push-to-talk session state machine: the seed protocol's
 * Idle -> Recording -> Processing -> Synthesizing -> Playing -> Idle and Playing -> Recording
 * (barge-in), with cancel working in every state but Idle and a turn that fails or has nothing to
 * say (`turn_ended`) returning to Idle. Every other pair is rejected and leaves the state unchanged.
 */
import { fail, ok, type Result } from "./result.ts";

export const SESSION_STATES = [
  "idle",
  "recording",
  "processing",
  "synthesizing",
  "playing",
] as const;
export type SessionState = typeof SESSION_STATES[number];

/** What moves a session: client commands first, then milestones reported by the pipeline. */
export type SessionInput =
  | { readonly type: "start_recording" }
  | { readonly type: "stop_recording" }
  | { readonly type: "cancel" }
  | { readonly type: "response_ready" }
  | { readonly type: "playback_started" }
  | { readonly type: "playback_complete" }
  | { readonly type: "turn_ended" };

export type SessionInputType = SessionInput["type"];

export const SESSION_INPUT_TYPES: readonly SessionInputType[] = [
  "start_recording",
  "stop_recording",
  "cancel",
  "response_ready",
  "playback_started",
  "playback_complete",
  "turn_ended",
];

export interface Transition {
  readonly from: SessionState;
  readonly to: SessionState;
  /** True when recording starts while a reply is still playing: the reply must be dropped. */
  readonly bargeIn: boolean;
}

export function transition(state: SessionState, input: SessionInput): Result<Transition> {
  const to = next(state, input);
  if (to === null) {
    return fail("invalid_transition", `cannot ${describe(input)} while ${state}`);
  }
  return ok({ from: state, to, bargeIn: state === "playing" && to === "recording" });
}

function next(state: SessionState, input: SessionInput): SessionState | null {
  if (state !== "idle" && (input.type === "cancel" || input.type === "turn_ended")) {
    // A turn can be abandoned (cancel) or can end early (failure, empty transcript) anywhere.
    return state === "recording" && input.type === "turn_ended" ? null : "idle";
  }
  switch (state) {
    case "idle":
      return input.type === "start_recording" ? "recording" : null;
    case "recording":
      return input.type === "stop_recording" ? "processing" : null;
    case "processing":
      return input.type === "response_ready" ? "synthesizing" : null;
    case "synthesizing":
      return input.type === "playback_started" ? "playing" : null;
    case "playing":
      if (input.type === "playback_complete") return "idle";
      return input.type === "start_recording" ? "recording" : null;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

function describe(input: SessionInput): string {
  switch (input.type) {
    case "start_recording":
      return "start recording";
    case "stop_recording":
      return "stop recording";
    case "cancel":
      return "cancel";
    case "response_ready":
      return "start synthesizing";
    case "playback_started":
      return "start playback";
    case "playback_complete":
      return "complete playback";
    case "turn_ended":
      return "end the turn";
    default: {
      const unreachable: never = input;
      return unreachable;
    }
  }
}
