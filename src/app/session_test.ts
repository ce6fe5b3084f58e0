import assert from "node:assert/strict";
import { RecordingSink, sessionHarness } from "../../tests/helpers/session_harness.ts";
import { HISTORY_BUDGET_CHARS } from "./reply.ts";
import { SentenceSplitter } from "../domain/sentences.ts";

const REPLY = "It is noon. Time for lunch. Then a walk.";
/** The sentences the reply is spoken in: the TTS fake makes one chunk of each. */
const SENTENCES = (() => {
  const splitter = new SentenceSplitter();
  return [...splitter.push(REPLY), ...splitter.flush()].length;
})();
const isState = (to: string) => (e: { type: string; to?: string }) =>
  e.type === "state_changed" && e.to === to;

Deno.test("Session: a turn plays its reply to the listener; playback_complete comes before idle", async () => {
  const sink = new RecordingSink();
  const h = sessionHarness({
    stt: { finals: "what time is it" },
    llm: { reply: REPLY },
    sinks: [sink],
  });
  h.press();
  await h.until(isState("idle"));
  assert.deepEqual(h.seen("state", "playback_started", "playback_complete", "no_speech"), [
    "state:recording",
    "state:processing",
    "state:synthesizing",
    "playback_started",
    "state:playing",
    "playback_complete",
    "state:idle",
  ]);
  assert.equal(sink.writes.length, SENTENCES, "every sentence reached the listener");
  assert.deepEqual(h.history.map((m) => [m.role, m.content, m.interrupted ?? false]), [
    ["user", "what time is it", false],
    ["assistant", REPLY, false],
  ]);
  await h.close();
});

// Defect: reply audio went only to the last client that connected; when it left, the other got
// no audio while playback_started/complete still arrived.
Deno.test("Session: every attached client hears the reply, and one leaving does not silence the rest", async () => {
  const [a, b] = [new RecordingSink(), new RecordingSink()];
  const h = sessionHarness({ stt: { finals: "hi" }, llm: { reply: REPLY }, sinks: [a] });
  const detachB = h.session.attachSocket(b);
  h.press();
  await h.until(isState("idle"));
  assert.equal(a.writes.length, SENTENCES);
  assert.equal(b.writes.length, SENTENCES);
  detachB();
  h.press();
  await h.until((e) => e.type === "playback_complete" && h.seen("playback_complete").length === 2);
  assert.equal(a.writes.length, 2 * SENTENCES, "the remaining client still hears every reply");
  assert.equal(b.writes.length, SENTENCES);
  await h.close();
});

Deno.test("Session: each turn hands STT what the last one learned of the voice; a new microphone rate starts over", async () => {
  const h = sessionHarness({ stt: { finals: "hi" }, llm: { reply: "Hello." } });
  const turnEnded = (n: number) => () => h.seen("state:idle").length === n;
  for (let turn = 1; turn <= 3; turn++) {
    h.press();
    await h.until(turnEnded(turn));
  }
  h.session.setSampleRate(16_000); // the rate it has: the same microphone
  h.press();
  await h.until(turnEnded(4));
  h.session.setSampleRate(44_100);
  h.press();
  await h.until(turnEnded(5));
  assert.deepEqual(h.sttStates.map((s) => s && [...s]), [undefined, [1], [2], [3], undefined]);
  await h.close();
});

Deno.test("Session: the reply's voice stream opens with the turn and the reply speaks through it", async () => {
  const sink = new RecordingSink();
  const h = sessionHarness({ stt: { finals: "hi" }, llm: { reply: REPLY }, sinks: [sink] });
  h.session.handle({ type: "start_recording" });
  assert.deepEqual(h.ttsOpened, [null], "opened while the person speaks");
  h.session.pushAudio(new Float32Array(320));
  h.session.handle({ type: "stop_recording" });
  await h.until(isState("idle"));
  assert.equal(sink.writes.length, SENTENCES);
  assert.deepEqual(h.ttsOpened, [null], "no second stream for the reply");
  await h.close();
});

Deno.test("Session: a voice changed while recording gets its own stream; the early one is closed", async () => {
  const sink = new RecordingSink();
  const h = sessionHarness({ stt: { finals: "hi" }, llm: { reply: REPLY }, sinks: [sink] });
  h.session.handle({ type: "start_recording" });
  h.session.handle({ type: "set_voice", voice_id: "voice_bbbbbbbbbbbbbbbbbbbb" });
  h.session.pushAudio(new Float32Array(320));
  h.session.handle({ type: "stop_recording" });
  await h.until(isState("idle"));
  assert.deepEqual(h.ttsOpened, [null, "voice_bbbbbbbbbbbbbbbbbbbb"]);
  assert.equal(h.ttsClosed(), 1, "the stream opened for the old voice");
  assert.equal(sink.writes.length, SENTENCES);
  await h.close();
});

Deno.test("Session: a turn that ends without a reply closes its early voice stream; dictation opens none", async () => {
  const h = sessionHarness({ stt: { finals: ["", "take a note"] }, llm: { reply: REPLY } });
  h.press();
  await h.until((e) => e.type === "no_speech");
  await h.until(isState("idle"));
  assert.deepEqual([h.ttsOpened.length, h.ttsClosed()], [1, 1]);
  h.session.handle({ type: "start_recording", mode: "dictation" });
  h.session.pushAudio(new Float32Array(320));
  h.session.handle({ type: "stop_recording" });
  await h.until((e) => e.type === "dictation");
  assert.equal(h.ttsOpened.length, 1, "a dictation turn has no reply to speak");
  await h.close();
});

// Defect: an empty final transcript ended the turn silently.
Deno.test("Session: an empty transcript says no_speech and asks no model", async () => {
  const h = sessionHarness({
    stt: { finals: "   " },
    llm: { reply: REPLY },
    sinks: [new RecordingSink()],
  });
  h.press();
  await h.until(isState("idle"));
  assert.deepEqual(h.seen("no_speech"), ["no_speech"]);
  assert.equal(h.llm.length, 0);
  await h.close();
});

// Defect: cancel or barge-in while a reply played did not abort the LLM request, which was read
// to its end (real models kept generating; paid APIs kept billing).
for (const how of ["cancel", "barge-in"] as const) {
  Deno.test(`Session: ${how} while the reply plays aborts the LLM request and the TTS stream`, async () => {
    const sink = new RecordingSink();
    const long = "A sentence. ".repeat(50);
    const h = sessionHarness({
      stt: { finals: ["tell me a story", "stop"] },
      llm: { reply: long, tokenDelayMs: 20 },
      sinks: [sink],
    });
    h.press();
    await h.until((e) => e.type === "playback_started");
    const closed = h.ttsClosed();
    if (how === "cancel") h.session.handle({ type: "cancel" });
    else h.session.handle({ type: "start_recording" });
    assert.equal(h.llm[0].aborted, true, "the LLM request was aborted at once");
    assert.ok(h.llm[0].tokensSent < 50, `only ${h.llm[0].tokensSent} of 100 tokens were read`);
    assert.ok(h.ttsClosed() > closed || sink.flushes > 0, "the TTS stream stopped");
    assert.ok(sink.flushes >= 1, "unheard audio was dropped");
    // What was said and heard is kept, marked interrupted, for the next turn's context.
    assert.equal(h.history.at(-1)?.interrupted, true);
    assert.match(h.history.at(-1)!.content, /^A sentence\./);
    await h.close();
  });
}

// Defect: barge-in worked only while playing: a key press during processing or synthesizing got
// invalid_transition, and the stale reply then played.
Deno.test("Session: pressing talk while the model is still thinking starts a new turn; the old reply never plays", async () => {
  const sink = new RecordingSink();
  const h = sessionHarness({
    stt: { finals: ["first question", "second question"] },
    llm: { reply: REPLY, firstDelayMs: 200 },
    sinks: [sink],
  });
  h.session.handle({ type: "start_recording" });
  h.session.pushAudio(new Float32Array(320));
  h.session.handle({ type: "stop_recording" });
  await h.until((e) => e.type === "transcription" && e.isFinal);
  assert.equal(h.session.state, "processing");
  const pressed = h.session.handle({ type: "start_recording" });
  assert.equal(pressed.ok, true, "accepted while processing");
  h.session.pushAudio(new Float32Array(320));
  h.session.handle({ type: "stop_recording" });
  await h.until(isState("idle"));
  assert.equal(h.llm.length, 2);
  assert.equal(h.llm[0].aborted, true);
  assert.equal(h.llm[0].tokensSent, 0, "the first reply never started");
  assert.equal(sink.writes.length, SENTENCES, "only the second reply was heard");
  const last = h.llm[1].messages.at(-1)!;
  assert.equal(last.content, "second question");
  await h.close();
});

// Review mutant: no sink flush on barge-in for device sessions (tested on sockets only).
Deno.test("Session: barge-in on a device session drops the speaker's queued audio", async () => {
  const speaker = new RecordingSink();
  speaker.finishMs = 2_000; // the reply's tail is still playing on the speaker
  const h = sessionHarness({
    stt: { finals: ["hello", "again"] },
    llm: { reply: REPLY },
    device: { sink: speaker },
  });
  h.press();
  await h.until((e) => e.type === "playback_started");
  const before = speaker.flushes;
  h.session.handle({ type: "start_recording" });
  assert.equal(speaker.flushes, before + 1);
  await h.close();
});

// Defect: a turn could stay in processing forever when its STT worker died and came back.
Deno.test("Session: a transcript that never comes ends the turn with an error at its deadline", async () => {
  const h = sessionHarness({
    stt: { finals: "x", hang: true },
    llm: { reply: REPLY },
    sinks: [new RecordingSink()],
    deadlineMs: { transcript: 100 },
  });
  h.press();
  await h.until(isState("idle"), 5_000);
  const error = h.events.find((e) => e.type === "error");
  assert.ok(error && error.type === "error");
  assert.equal(error.code, "unavailable");
  assert.match(error.message, /speech-to-text .* in time/);
  // And the session works again.
  assert.equal(h.session.handle({ type: "start_recording" }).ok, true);
  await h.close();
});

Deno.test("Session: a worker that fails mid-turn is an error event, and the session returns to idle", async () => {
  const h = sessionHarness({
    stt: { finals: "x", fail: new Error("the worker died") },
    sinks: [new RecordingSink()],
  });
  h.press();
  await h.until(isState("idle"));
  assert.deepEqual(h.seen("error", "state:idle"), ["error", "state:idle"]);
  await h.close();
});

// Review mutant: history not trimmed where it is used.
Deno.test("Session: the model gets the history trimmed to its budget, newest kept", async () => {
  const old = Array.from({ length: 400 }, (_, i) => ({
    role: i % 2 ? "assistant" as const : "user" as const,
    content: `message ${i} `.padEnd(200, "x"),
    at: i,
  }));
  const h = sessionHarness({
    stt: { finals: "and now?" },
    llm: { reply: "Done." },
    sinks: [new RecordingSink()],
    history: old,
  });
  h.press();
  await h.until(isState("idle"));
  const sent = h.llm[0].messages;
  const history = sent.slice(1, -1);
  const chars = history.reduce((n, m) => n + m.content.length, 0);
  assert.ok(chars <= HISTORY_BUDGET_CHARS, `${chars} chars of history`);
  assert.ok(history.length > 10, "but not empty");
  assert.match(history.at(-1)!.content, /^message 399 /, "the newest kept");
  assert.equal(history[0].role, "user");
  await h.close();
});

// Review mutant: an interrupted reply returned into history as if it had been heard whole.
Deno.test("Session: an interrupted reply enters the history as what was heard, marked interrupted", async () => {
  const h = sessionHarness({
    stt: { finals: ["tell me", "next"] },
    llm: { reply: "First part. " + "More text. ".repeat(40), tokenDelayMs: 20 },
    sinks: [new RecordingSink()],
  });
  h.press();
  await h.until((e) => e.type === "playback_started");
  h.session.handle({ type: "cancel" });
  const last = h.history.at(-1)!;
  assert.equal(last.interrupted, true);
  assert.ok(last.content.length < 100, `only what was heard: ${last.content}`);
  // The next turn's model sees where it was cut off.
  h.press();
  await h.until((e) => e.type === "playback_complete");
  const sent = h.llm[1].messages.find((m) => m.role === "assistant")!;
  assert.match(sent.content, /\[interrupted by the user\]$/);
  await h.close();
});

// Defect: DELETE /sessions left a turn running on a deleted session.
Deno.test("Session: close stops the running turn and refuses commands after", async () => {
  const h = sessionHarness({
    stt: { finals: "story" },
    llm: { reply: "Word. ".repeat(100), tokenDelayMs: 20 },
    sinks: [new RecordingSink()],
  });
  h.press();
  await h.until((e) => e.type === "playback_started");
  await h.close();
  assert.equal(h.llm[0].aborted, true);
  assert.equal(h.session.state, "idle");
  assert.equal(h.session.closedSignal.aborted, true);
  assert.equal(h.session.handle({ type: "start_recording" }).ok, false);
});

Deno.test("Session: a dictation turn's transcript is its result: no model, no speech, no history", async () => {
  const sink = new RecordingSink();
  const h = sessionHarness({
    stt: { finals: "buy milk and eggs" },
    sinks: [sink],
    mode: "dictation",
  });
  h.press();
  await h.until(isState("idle"));
  const result = h.events.find((e) => e.type === "dictation");
  assert.deepEqual(result && { ...result, sessionId: undefined }, {
    type: "dictation",
    sessionId: undefined,
    turn: 1,
    text: "buy milk and eggs",
    raw: "buy milk and eggs",
  });
  assert.equal(h.llm.length, 0, "no model was asked");
  assert.equal(sink.writes.length, 0, "nothing was spoken");
  assert.deepEqual(h.history, [], "dictation is not a conversation");
  assert.ok(h.events.some((e) => e.type === "turn_metrics"), "its latency is reported");
  // One session serves both keys: a conversation turn in a dictation session.
  assert.equal(h.session.handle({ type: "start_recording", mode: "conversation" }).ok, true);
  await h.close();
});

Deno.test("Session: dictation cleanup asks the persona's model once and keeps the raw transcript", async () => {
  const h = sessionHarness({
    stt: { finals: "um so buy milk uh and eggs" },
    llm: { reply: "So, buy milk and eggs." },
    mode: "dictation",
    cleanup: true,
  });
  h.press();
  await h.until((e) => e.type === "dictation");
  const result = h.events.find((e) => e.type === "dictation") as { text: string; raw: string };
  assert.equal(result.text, "So, buy milk and eggs.");
  assert.equal(result.raw, "um so buy milk uh and eggs");
  assert.equal(h.llm.length, 1);
  assert.match(h.llm[0].messages[0].content, /clean up dictated text/);
  assert.equal(h.llm[0].messages[1].content, "um so buy milk uh and eggs");
  assert.deepEqual(h.history, []);
  await h.close();
});

/** 20 ms frames at the harness's 16 kHz: a voice (a loud tone) or a quiet room. */
const VOICE = Float32Array.from({ length: 320 }, (_, i) => 0.3 * Math.sin(i / 2));
const ROOM = new Float32Array(320).fill(0.0005);
function speak(h: ReturnType<typeof sessionHarness>, frames: Float32Array, count: number) {
  for (let i = 0; i < count; i++) h.session.pushAudio(frames);
}

Deno.test("Session: hands-free, speech starts a turn and a pause ends it; the reply is not heard as speech", async () => {
  const sink = new RecordingSink();
  sink.finishMs = 200; // the reply's tail is still playing for a while
  const h = sessionHarness({
    stt: { finals: ["hello there", "second"] },
    llm: { reply: REPLY },
    sinks: [sink],
    handsFree: { endOfSpeechMs: 300 },
  });
  speak(h, ROOM, 10);
  assert.deepEqual(h.seen("recording_started"), [], "a quiet room starts nothing");
  speak(h, VOICE, 10);
  assert.deepEqual(h.seen("recording_started"), ["recording_started"], "speech started a turn");
  speak(h, ROOM, 20); // 400 ms of silence
  await h.until(isState("playing"));
  // Sound while the reply plays (its own echo, or the user) does not start a turn.
  speak(h, VOICE, 10);
  assert.equal(h.seen("recording_started").length, 1);
  await h.until(isState("idle"));
  assert.deepEqual(h.history.map((m) => m.content), ["hello there", REPLY]);
  const timings = h.events.find((e) => e.type === "turn_metrics") as {
    timings: { speechEndMs?: number };
  };
  assert.ok((timings.timings.speechEndMs ?? -1) >= 0, "end of speech to transcript is reported");
  await h.close();
});

Deno.test("Session: hands-free with barge-in by voice, speaking over the reply interrupts it", async () => {
  const sink = new RecordingSink();
  sink.finishMs = 5_000;
  const h = sessionHarness({
    stt: { finals: ["tell me a story", "stop"] },
    llm: { reply: REPLY },
    sinks: [sink],
    handsFree: { endOfSpeechMs: 300, bargeInByVoice: true },
  });
  speak(h, ROOM, 10);
  speak(h, VOICE, 10);
  speak(h, ROOM, 20);
  await h.until(isState("playing"));
  speak(h, VOICE, 10);
  assert.equal(h.seen("recording_started").length, 2, "the voice interrupted the reply");
  assert.ok(sink.flushes > 0, "the unheard reply was dropped");
  await h.close();
});
