/**
 * Conversations end to end over the WebSocket: recorded speech -> transcription events -> LLM
 * (a local server speaking Ollama's protocol) -> reply audio frames back, with barge-in, cancel
 * and protocol errors. Real STT and TTS workers.
 */
import assert from "node:assert/strict";
import { withConversation } from "./helpers/conversation_harness.ts";
import { waitUntil } from "./helpers/wait.ts";

const RATE = 16_000;
const FRAME = RATE / 50; // 20 ms

Deno.test("conversation: a spoken turn comes back as a spoken reply, with every event and its timings", () =>
  withConversation(async (c) => {
    const reply = "The kitchen lights are on now. Is there anything else?";
    c.llm.reply({ text: reply, tokenDelayMs: 5 });
    const ws = await c.openSession(RATE);
    const speech = await c.speech("turn on the kitchen lights", RATE);

    ws.speak(speech, RATE);
    await ws.waitFor((m) => m.type === "playback_complete");
    await ws.waitFor((m) => m.type === "state" && m.state === "idle");

    const types = ws.events().map((m) => m.type);
    const order = [
      "recording_started",
      "transcription",
      "llm_response",
      "playback_started",
      "playback_complete",
    ];
    let at = -1;
    for (const type of order) {
      const next = types.indexOf(type, at + 1);
      assert.ok(next > at, `${type} after ${order[order.indexOf(type) - 1]}: ${types.join(", ")}`);
      at = next;
    }
    // The figures are known once the first sample is out, before the reply has finished.
    assert.ok(types.indexOf("turn_metrics") > types.indexOf("playback_started"));
    const states = ws.events("state").map((m) => m.state);
    assert.deepEqual(states, ["recording", "processing", "synthesizing", "playing", "idle"]);
    const finals = ws.events("transcription").filter((m) => m.is_final);
    assert.deepEqual(finals.map((m) => m.text), ["turn on the kitchen lights"]);
    assert.ok(
      ws.events("transcription").some((m) => !m.is_final),
      "partial transcripts while speaking",
    );
    assert.equal(ws.events("llm_response").map((m) => m.text).join(""), reply);

    // The audio that came back is exactly the reply's sentences, spoken (synthesis is deterministic).
    const audio = ws.audio();
    const pieces = await c.speechPieces([
      "The kitchen lights are on now.",
      "Is there anything else?",
    ], RATE);
    assert.equal(audio.length, pieces[0].length + pieces[1].length);
    assert.deepEqual(audio, Float32Array.from([...pieces[0], ...pieces[1]]));

    const [metrics] = ws.events("turn_metrics");
    const t = metrics.timings as Record<string, number>;
    assert.ok(
      t.transcript_ms <= t.first_token_ms && t.first_token_ms <= t.first_sentence_ms,
      JSON.stringify(t),
    );
    assert.ok(
      t.first_sentence_ms <= t.first_audio_ms && t.first_audio_ms <= t.first_played_ms,
      JSON.stringify(t),
    );
    const stored = await (await c.api(`/sessions/${ws.events("hello")[0].session_id}`)).json();
    assert.deepEqual(stored.last_turn, t);

    // The LLM saw the persona's prompt and the transcript; the next turn carries the history.
    assert.deepEqual(c.llm.requests[0].body.messages, [
      { role: "system", content: "You are Ada. Be brief." },
      { role: "user", content: "turn on the kitchen lights" },
    ]);
    c.llm.reply({ text: "Playing music.", tokenDelayMs: 1 });
    const from = ws.speak(await c.speech("play some music", RATE), RATE);
    await ws.waitFor((m) => m.type === "playback_complete", { from });
    assert.deepEqual((c.llm.requests[1].body.messages as unknown[]).slice(1), [
      { role: "user", content: "turn on the kitchen lights" },
      { role: "assistant", content: reply },
      { role: "user", content: "play some music" },
    ]);
  }));

Deno.test("conversation: barge-in and cancel stop the reply, and no stale audio follows", () =>
  withConversation(async (c) => {
    const long = "This is a long answer. ".repeat(30);
    c.llm.reply({ text: long, tokenDelayMs: 2 });
    const ws = await c.openSession(RATE);
    const speech = await c.speech("what time is it", RATE);

    ws.speak(speech, RATE);
    const playing = await ws.waitFor((m) => m.type === "playback_started");
    await ws.waitFor((m) => m.type === "llm_response", { from: playing });
    ws.send({ type: "start_recording" }); // barge-in
    const barged = await ws.waitFor((m) => m.type === "recording_started", { from: playing });
    assert.equal(ws.events("state").at(-1)?.state, "recording");
    ws.sendAudio(speech, FRAME);
    ws.send({ type: "stop_recording" });
    const second = await ws.waitFor((m) => m.type === "playback_started", { from: barged });
    // playback_started comes just before the reply's first frame.
    await waitUntil("the new reply's audio", () => ws.audioAfter(second) > 0);
    const framesBetween = ws.received.slice(barged + 1, second).filter((r) =>
      r.kind === "audio"
    ).length;
    assert.equal(framesBetween, 0, "no audio of the interrupted reply after the barge-in");

    ws.send({ type: "cancel" });
    const cancelled = await ws.waitFor((m) => m.type === "state" && m.state === "idle", {
      from: second,
    });
    // Let anything in flight arrive, then check nothing came after the cancel.
    ws.send({ type: "hello" });
    ws.send({ type: "stop_recording" });
    await ws.waitFor((m) => m.type === "error", { from: cancelled });
    assert.equal(ws.audioAfter(cancelled), 0, "no audio after cancel");
    assert.equal(ws.events("playback_complete").length, 0, "neither reply completed");
    const llmCalls = c.llm.requests.length;
    assert.equal(llmCalls, 2);
  }));

Deno.test("conversation: cancel while the LLM is thinking returns to idle without a reply", () =>
  withConversation(async (c) => {
    c.llm.reply({ text: "Slow answer. ".repeat(20), tokenDelayMs: 200 });
    const ws = await c.openSession(RATE);
    ws.speak(await c.speech("play some music", RATE), RATE);
    const final = await ws.waitFor((m) => m.type === "transcription" && m.is_final === true);
    ws.send({ type: "cancel" });
    const idle = await ws.waitFor((m) => m.type === "state" && m.state === "idle", { from: final });
    assert.equal(ws.events("playback_started").length, 0);
    assert.equal(ws.audioAfter(final), 0);
    // The session is usable again at once.
    ws.send({ type: "start_recording" });
    await ws.waitFor((m) => m.type === "recording_started", { from: idle });
  }));

Deno.test("conversation: bad messages get error events and the session carries on", () =>
  withConversation(async (c) => {
    c.llm.reply({ text: "Done." });
    const ws = await c.openSession(RATE);
    const errors = async (send: () => void, pattern: RegExp, code: string) => {
      const from = ws.received.length;
      send();
      const index = await ws.waitFor((m) => m.type === "error", { from });
      const error = (ws.received[index] as { message: Record<string, unknown> }).message;
      assert.equal(error.code, code);
      assert.match(String(error.message), pattern);
    };
    await errors(() => ws.socket.send("{not json"), /not valid JSON/, "invalid_json");
    await errors(
      () => ws.send({ type: "dance" }),
      /unknown message type "dance"/,
      "invalid_request",
    );
    await errors(
      () => ws.send({ type: "hello", sample_rate: 5 }),
      /"sample_rate" must be/,
      "invalid_request",
    );
    await errors(
      () => ws.send({ type: "stop_recording" }),
      /cannot stop recording while idle/,
      "invalid_transition",
    );
    await errors(
      () => ws.socket.send(new Float32Array(10).buffer),
      /while not recording/,
      "invalid_transition",
    );
    await errors(
      () => ws.socket.send(new Uint8Array(7).buffer),
      /whole float32 samples \(7 bytes\)/,
      "invalid_request",
    );
    await errors(
      () => ws.socket.send(new Uint8Array(800_000).buffer),
      /limited to 768000 bytes/,
      "payload_too_large",
    );
    await errors(
      () => ws.send({ type: "set_persona", persona_id: "persona_aaaaaaaaaaaaaaaaaaaa" }),
      /does not exist/,
      "not_found",
    );
    await errors(
      () => ws.send({ type: "hello", audio: "device" }),
      /this session's audio is socket/,
      "invalid_request",
    );
    // Still a working session.
    ws.speak(await c.speech("play some music", RATE), RATE);
    await ws.waitFor((m) => m.type === "playback_complete");
  }));

Deno.test("conversation: an LLM failure is an error event and the session returns to idle", () =>
  withConversation(async (c) => {
    c.llm.reply({ text: "", status: 404, errorMessage: "model 'tiny' not found" });
    const ws = await c.openSession(RATE);
    ws.speak(await c.speech("play some music", RATE), RATE);
    const error = await ws.waitFor((m) => m.type === "error");
    assert.match(
      String(ws.events("error")[0].message),
      /Ollama answered 404: model 'tiny' not found/,
    );
    await ws.waitFor((m) => m.type === "state" && m.state === "idle", { from: error });
    assert.equal(ws.audio().length, 0);
  }));

// Defect: while training progress events flowed to a session, a hung LLM never timed out, and
// cancel left its request open.
Deno.test("conversation: a hung model times out with an error event while training events flow", () =>
  withConversation(async (c) => {
    c.llm.reply({ text: "never", hang: true });
    const ws = await c.openSession(RATE);
    const progress = setInterval(() =>
      c.events.publish({
        type: "training_progress",
        jobId: "job_aaaaaaaaaaaaaaaaaaaa",
        voiceId: "voice_aaaaaaaaaaaaaaaaaaaa",
        stage: "fitting",
        percent: 50,
        message: "half way",
      }), 20);
    try {
      const from = ws.speak(await c.speech("what time is it", RATE), RATE);
      const error = await ws.waitFor((m) => m.type === "error", { from, ms: 10_000 });
      assert.match(
        String(ws.received[error].kind === "event" && ws.received[error].message.message),
        /did not start answering within 500 ms/,
      );
      await ws.waitFor((m) => m.type === "state" && m.state === "idle", { from: error });
      assert.ok(ws.events("training_progress").length > 5, "training events kept flowing");
      // The hung request was abandoned, not left open.
      await waitUntil("the LLM connection to close", () => c.llm.requests.at(-1)!.closedAt);
    } finally {
      clearInterval(progress);
    }
  }, { env: { NOBODY_LLM_FIRST_TOKEN_TIMEOUT_MS: "500" } }));
