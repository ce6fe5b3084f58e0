import assert from "node:assert/strict";
import { type CoreInput, type Effect, INITIAL_CORE, type SessionCore, step } from "./turn.ts";
import { SESSION_STATES, type SessionState } from "./session_state.ts";

/** Runs inputs from a fresh session; returns the core and every effect, rejections failing. */
function drive(inputs: CoreInput[], from: SessionCore = INITIAL_CORE) {
  let core = from;
  const effects: Effect[] = [];
  for (const input of inputs) {
    const result = step(core, input);
    assert.equal(result.rejected, undefined, `${input.type} rejected: ${result.rejected?.message}`);
    core = result.core;
    effects.push(...result.effects);
  }
  return { core, effects };
}

/** Effects as short strings: "emit:state_changed>idle", "abort_turn", ... */
function names(effects: readonly Effect[]): string[] {
  return effects.map((e) => {
    if (e.type !== "emit") return e.type === "arm_deadline" ? `arm:${e.stage}` : e.type;
    return e.event.type === "state_changed" ? `emit:state>${e.event.to}` : `emit:${e.event.type}`;
  });
}

/** A core in each state of turn 1, reached the way a real turn gets there. */
const PATHS: Record<SessionState, CoreInput[]> = {
  idle: [],
  recording: [{ type: "start_recording" }],
  processing: [
    { type: "start_recording" },
    { type: "stop_recording" },
    { type: "stt_final", turn: 1, text: "what time is it" },
  ],
  synthesizing: [
    { type: "start_recording" },
    { type: "stop_recording" },
    { type: "stt_final", turn: 1, text: "what time is it" },
    { type: "sentence_ready", turn: 1 },
  ],
  playing: [
    { type: "start_recording" },
    { type: "stop_recording" },
    { type: "stt_final", turn: 1, text: "what time is it" },
    { type: "sentence_ready", turn: 1 },
    { type: "sentence_audio", turn: 1, text: "It is noon." },
  ],
};

const INPUTS: Record<string, CoreInput> = {
  start_recording: { type: "start_recording" },
  stop_recording: { type: "stop_recording" },
  cancel: { type: "cancel" },
  close: { type: "close" },
  stt_partial: { type: "stt_partial", turn: 1, text: "what" },
  stt_final: { type: "stt_final", turn: 1, text: "again" },
  llm_token: { type: "llm_token", turn: 1, text: "It" },
  sentence_ready: { type: "sentence_ready", turn: 1 },
  sentence_audio: { type: "sentence_audio", turn: 1, text: "Later." },
  reply_written: { type: "reply_written", turn: 1, text: "It is noon.", remainingMs: 800 },
  playback_done: { type: "playback_done", turn: 1 },
  failed: { type: "failed", turn: 1, failure: { code: "unavailable", message: "worker died" } },
  deadline: { type: "deadline", turn: 1, stage: "audio" },
};

const END = ["abort_turn", "flush_audio", "clear_deadline"];
const KEEP = "save_history";
const BARGE_IN = (history: boolean) => [
  ...END,
  ...(history ? [KEEP] : []),
  "start_stt",
  "emit:state>recording",
  "emit:recording_started",
];
const IDLE_AFTER = (history: boolean) => [...END, ...(history ? [KEEP] : []), "emit:state>idle"];

/** Every state x input: the state it leads to ("rejected" leaves all as it was) and the effects. */
const TABLE: Record<SessionState, Record<string, [SessionState | "rejected", string[]]>> = {
  idle: {
    start_recording: ["recording", ["start_stt", "emit:state>recording", "emit:recording_started"]],
    stop_recording: ["rejected", []],
    cancel: ["rejected", []],
    close: ["idle", []],
    stt_partial: ["idle", []],
    stt_final: ["idle", []],
    llm_token: ["idle", []],
    sentence_ready: ["idle", []],
    sentence_audio: ["idle", []],
    reply_written: ["idle", []],
    playback_done: ["idle", []],
    failed: ["idle", []],
    deadline: ["idle", []],
  },
  recording: {
    start_recording: ["rejected", []],
    stop_recording: ["processing", ["end_stt_input", "arm:transcript", "emit:state>processing"]],
    cancel: ["idle", IDLE_AFTER(false)],
    close: ["idle", IDLE_AFTER(false)],
    stt_partial: ["recording", ["emit:transcription"]],
    stt_final: ["recording", []],
    llm_token: ["recording", []],
    sentence_ready: ["recording", []],
    sentence_audio: ["recording", []],
    reply_written: ["recording", []],
    playback_done: ["recording", []],
    failed: ["idle", ["emit:error", ...IDLE_AFTER(false)]],
    deadline: ["idle", ["emit:error", ...IDLE_AFTER(false)]],
  },
  processing: {
    start_recording: ["recording", BARGE_IN(true)],
    stop_recording: ["rejected", []],
    cancel: ["idle", IDLE_AFTER(true)],
    close: ["idle", IDLE_AFTER(true)],
    stt_partial: ["processing", ["emit:transcription"]],
    stt_final: ["processing", []], // the turn has its transcript already
    llm_token: ["processing", ["emit:llm_response", "arm:reply"]],
    sentence_ready: ["synthesizing", ["arm:audio", "emit:state>synthesizing"]],
    sentence_audio: ["processing", []],
    reply_written: ["idle", [KEEP, "record_metrics", "clear_deadline", "emit:state>idle"]],
    playback_done: ["processing", []],
    failed: ["idle", ["emit:error", ...IDLE_AFTER(true)]],
    deadline: ["idle", ["emit:error", ...IDLE_AFTER(true)]],
  },
  synthesizing: {
    start_recording: ["recording", BARGE_IN(true)],
    stop_recording: ["rejected", []],
    cancel: ["idle", IDLE_AFTER(true)],
    close: ["idle", IDLE_AFTER(true)],
    stt_partial: ["synthesizing", []],
    stt_final: ["synthesizing", []],
    llm_token: ["synthesizing", ["emit:llm_response", "arm:audio"]],
    sentence_ready: ["synthesizing", []],
    sentence_audio: ["playing", ["emit:playback_started", "arm:audio", "emit:state>playing"]],
    reply_written: ["idle", [KEEP, "record_metrics", "clear_deadline", "emit:state>idle"]],
    playback_done: ["synthesizing", []],
    failed: ["idle", ["emit:error", ...IDLE_AFTER(true)]],
    deadline: ["idle", ["emit:error", ...IDLE_AFTER(true)]],
  },
  playing: {
    start_recording: ["recording", BARGE_IN(true)],
    stop_recording: ["rejected", []],
    cancel: ["idle", IDLE_AFTER(true)],
    close: ["idle", IDLE_AFTER(true)],
    stt_partial: ["playing", []],
    stt_final: ["playing", []],
    llm_token: ["playing", ["emit:llm_response", "arm:audio"]],
    sentence_ready: ["playing", []],
    sentence_audio: ["playing", ["arm:audio"]],
    reply_written: ["playing", ["finish_playback", "arm:playback"]],
    playback_done: ["playing", []], // only once the whole reply is written
    failed: ["idle", ["emit:error", ...IDLE_AFTER(true)]],
    deadline: ["idle", ["emit:error", ...IDLE_AFTER(true)]],
  },
};

Deno.test("step() table covers every state and input", () => {
  for (const state of SESSION_STATES) {
    assert.deepEqual(Object.keys(TABLE[state]).sort(), Object.keys(INPUTS).sort(), state);
  }
});

for (const state of SESSION_STATES) {
  for (const [name, input] of Object.entries(INPUTS)) {
    const [to, expected] = TABLE[state][name];
    Deno.test(`step() ${name} while ${state} -> ${to}`, () => {
      const { core } = drive(PATHS[state]);
      assert.equal(core.state, state);
      const result = step(core, input);
      if (to === "rejected") {
        assert.ok(result.rejected, "refused with a reason");
        assert.equal(result.core, core, "nothing changed");
        assert.deepEqual(result.effects, []);
        return;
      }
      assert.equal(result.rejected, undefined);
      assert.equal(result.core.state, to);
      assert.deepEqual(names(result.effects), expected);
    });
    // The same report from an earlier turn is stale: it changes nothing whatever the state.
    if ("turn" in input) {
      Deno.test(`step() a stale ${name} while ${state} changes nothing`, () => {
        // Turn 1 was cancelled; turn 2 reached `state` the usual way.
        const second = PATHS[state].map((i) => ("turn" in i ? { ...i, turn: 2 } : i));
        const { core } = drive([{ type: "start_recording" }, { type: "cancel" }, ...second]);
        assert.equal(core.state, state);
        const result = step(core, input); // from turn 1
        assert.equal(result.core, core);
        assert.deepEqual(result.effects, []);
      });
    }
  }
}

Deno.test("step() a whole turn: events in order, history and metrics, playback_complete before idle", () => {
  const { core, effects } = drive([
    ...PATHS.playing,
    { type: "llm_token", turn: 1, text: "It is noon." },
    { type: "reply_written", turn: 1, text: "It is noon.", remainingMs: 1_000 },
    { type: "playback_done", turn: 1 },
  ]);
  assert.equal(core.state, "idle");
  const emitted = names(effects).filter((n) => n.startsWith("emit:"));
  assert.deepEqual(emitted, [
    "emit:state>recording",
    "emit:recording_started",
    "emit:state>processing",
    "emit:transcription",
    "emit:state>synthesizing",
    "emit:playback_started",
    "emit:state>playing",
    "emit:llm_response",
    "emit:playback_complete",
    "emit:state>idle",
  ]);
  const saved = effects.filter((e) => e.type === "save_history");
  assert.deepEqual(saved, [{
    type: "save_history",
    entries: [
      { role: "user", content: "what time is it" },
      { role: "assistant", content: "It is noon.", interrupted: false },
    ],
  }]);
});

Deno.test("step() an empty transcript says no_speech and asks no model", () => {
  const { core, effects } = drive([
    { type: "start_recording" },
    { type: "stop_recording" },
    { type: "stt_final", turn: 1, text: "  " },
  ]);
  assert.equal(core.state, "idle");
  assert.ok(names(effects).includes("emit:no_speech"));
  assert.ok(!effects.some((e) => e.type === "start_reply"));
});

Deno.test("step() barge-in keeps what was said and heard, marked interrupted", () => {
  const { core, effects } = drive([
    ...PATHS.playing,
    { type: "sentence_audio", turn: 1, text: "Then lunch." },
    { type: "start_recording" },
  ]);
  assert.equal(core.turn, 2);
  assert.equal(core.state, "recording");
  assert.deepEqual(effects.filter((e) => e.type === "save_history"), [{
    type: "save_history",
    entries: [
      { role: "user", content: "what time is it" },
      { role: "assistant", content: "It is noon. Then lunch.", interrupted: true },
    ],
  }]);
  // The old turn is aborted before the new one starts, so nothing of it can play on.
  const order = names(effects).slice(-7);
  assert.deepEqual(order.slice(0, 2), ["abort_turn", "flush_audio"]);
});

Deno.test("step() a closed session refuses commands", () => {
  const { core } = drive([{ type: "start_recording" }, { type: "close" }]);
  assert.equal(core.closed, true);
  assert.equal(core.state, "idle");
  assert.equal(step(core, { type: "start_recording" }).rejected?.code, "invalid_transition");
});

Deno.test("step() a turn that fails while recording: its error names the turn, the release hears the cause", () => {
  const cause = { code: "unavailable" as const, message: "the speech-to-text worker is down" };
  const failed = drive([{ type: "start_recording" }, { type: "failed", turn: 1, failure: cause }]);
  const error = failed.effects.find((e) => e.type === "emit" && e.event.type === "error");
  assert.deepEqual(error, { type: "emit", event: { type: "error", ...cause, turn: 1 } });
  // Before, the push-to-talk release got invalid_transition "cannot stop recording while idle".
  assert.deepEqual(step(failed.core, { type: "stop_recording" }).rejected, cause);
  // The next turn starts clean: its release is an ordinary stop.
  const next = step(failed.core, { type: "start_recording" });
  assert.equal(step(next.core, { type: "stop_recording" }).rejected, undefined);
  const started = next.effects.find((e) =>
    e.type === "emit" && e.event.type === "recording_started"
  );
  assert.deepEqual(started, {
    type: "emit",
    event: { type: "recording_started", turn: 2, mode: "conversation" },
  });
});

Deno.test("step() a dictation turn ends with its text, and with cleanup waits for the tidy text", () => {
  const plain = drive([
    { type: "start_recording", mode: "dictation" },
    { type: "stop_recording" },
    { type: "stt_final", turn: 1, text: " buy milk " },
  ]);
  assert.equal(plain.core.state, "idle");
  assert.deepEqual(
    plain.effects.filter((e) => e.type === "emit" && e.event.type === "dictation"),
    [{ type: "emit", event: { type: "dictation", turn: 1, text: "buy milk", raw: "buy milk" } }],
  );
  assert.ok(!names(plain.effects).some((n) => n === "start_reply" || n === "save_history"));

  const tidy = drive([
    { type: "start_recording", mode: "dictation", cleanup: true },
    { type: "stop_recording" },
    { type: "stt_final", turn: 1, text: "um buy milk" },
  ]);
  assert.equal(tidy.core.state, "processing");
  assert.ok(names(tidy.effects).includes("start_cleanup"));
  const done = step(tidy.core, { type: "cleanup_done", turn: 1, text: "Buy milk." });
  assert.equal(done.core.state, "idle");
  assert.ok(
    done.effects.some((e) =>
      e.type === "emit" && e.event.type === "dictation" && e.event.text === "Buy milk." &&
      e.event.raw === "um buy milk"
    ),
  );
  // A barge-in during cleanup drops it and keeps nothing in the history.
  const barged = step(tidy.core, { type: "start_recording" });
  assert.ok(!names(barged.effects).includes("save_history"));
  assert.equal(
    step(barged.core, { type: "cleanup_done", turn: 1, text: "late" }).effects.length,
    0,
  );
});
