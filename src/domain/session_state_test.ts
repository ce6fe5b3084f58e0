import assert from "node:assert/strict";
import {
  SESSION_INPUT_TYPES,
  SESSION_STATES,
  type SessionInputType,
  type SessionState,
  transition,
} from "./session_state.ts";

/** The allowed transitions, written out independently of the implementation. */
const ALLOWED: Record<string, SessionState> = {
  "idle+start_recording": "recording",
  "recording+stop_recording": "processing",
  "recording+cancel": "idle",
  "processing+response_ready": "synthesizing",
  "processing+cancel": "idle",
  "processing+turn_ended": "idle",
  "synthesizing+playback_started": "playing",
  "synthesizing+cancel": "idle",
  "synthesizing+turn_ended": "idle",
  "playing+playback_complete": "idle",
  "playing+start_recording": "recording",
  "playing+cancel": "idle",
  "playing+turn_ended": "idle",
};

for (const state of SESSION_STATES) {
  for (const type of SESSION_INPUT_TYPES) {
    const expected = ALLOWED[`${state}+${type}`];
    Deno.test(`transition() ${expected ? "moves" : "rejects"} ${type} while ${state}`, () => {
      const result = transition(state, { type } as { type: SessionInputType });
      if (expected) {
        assert.ok(result.ok);
        assert.equal(result.value.from, state);
        assert.equal(result.value.to, expected);
        assert.equal(result.value.bargeIn, state === "playing" && type === "start_recording");
      } else {
        assert.ok(!result.ok);
        assert.equal(result.error.code, "invalid_transition");
        assert.match(result.error.message, new RegExp(`while ${state}$`));
      }
    });
  }
}

Deno.test("transition() table covers every state and input", () => {
  assert.equal(SESSION_STATES.length * SESSION_INPUT_TYPES.length, 35);
  assert.equal(Object.keys(ALLOWED).length, 13);
});

Deno.test("transition() follows a whole turn and a barge-in back to idle", () => {
  let state: SessionState = "idle";
  const steps: SessionInputType[] = [
    "start_recording",
    "stop_recording",
    "response_ready",
    "playback_started",
    "start_recording",
    "stop_recording",
    "response_ready",
    "playback_started",
    "playback_complete",
  ];
  for (const type of steps) {
    const result = transition(state, { type } as { type: SessionInputType });
    assert.ok(result.ok, `${type} while ${state}`);
    state = result.value.to;
  }
  assert.equal(state, "idle");
});
