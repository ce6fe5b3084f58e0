/**
 * Dictation end to end with real human speech (the LibriVox reader of pocketsphinx-testdata):
 * a dictation turn over the WebSocket ends in a `dictation` event with the transcript and no reply;
 * over HTTP, `stop_recording?wait=true` answers with the text; one session serves both kinds of
 * turn. Real STT worker; the model is a local fake that must not be asked.
 */
import assert from "node:assert/strict";
import { withConversation } from "./helpers/conversation_harness.ts";
import { librivoxClip, wordErrors } from "./helpers/speech_corpus.ts";

const clip = librivoxClip;

Deno.test("dictation: a turn over the WebSocket returns the transcript of real speech, and no reply", () =>
  withConversation(async (c) => {
    const speech = await clip(0);
    const created = await c.api("/sessions", "POST", {
      persona_id: c.personaId,
      sample_rate: speech.rate,
      mode: "dictation",
    });
    const session = await created.json();
    assert.equal(session.mode, "dictation");
    const ws = await c.connect(session.id);
    const asked = c.llm.requests.length;
    ws.speak(speech.samples, speech.rate);
    await ws.waitFor((m) => m.type === "dictation", { ms: 60_000 });
    const [result] = ws.events("dictation");
    const { errors, words } = wordErrors(speech.text, String(result.text));
    assert.ok(errors / words <= 0.5, `"${result.text}" for "${speech.text}"`);
    assert.equal(result.raw, result.text, "no cleanup asked");
    assert.equal(
      ws.events("transcription").filter((m) => m.is_final)[0].text,
      result.text,
      "the result is the final transcript",
    );
    assert.deepEqual(ws.events("recording_started").map((m) => m.mode), ["dictation"]);
    assert.equal(c.llm.requests.length, asked, "no model was asked");
    assert.equal(ws.audio().length, 0, "nothing was spoken");
    await ws.waitFor((m) => m.type === "turn_metrics");
    const history = await (await c.api(`/personas/${c.personaId}/history`)).json();
    assert.deepEqual(history.messages, [], "dictation is not kept as conversation");
  }));

Deno.test("dictation: stop_recording?wait=true answers with the text; the same session also converses", () =>
  withConversation(async (c) => {
    const speech = await clip(1);
    const session = await (await c.api("/sessions", "POST", {
      persona_id: c.personaId,
      sample_rate: speech.rate,
    })).json();
    const ws = await c.connect(session.id);
    // A conversation session; this one turn is dictation (a second hotkey of the same Spoon).
    const started = await c.api(`/sessions/${session.id}/start_recording`, "POST", {
      mode: "dictation",
    });
    assert.equal(started.status, 200, await started.clone().text());
    assert.equal((await started.json()).state, "recording");
    ws.sendAudio(speech.samples, speech.rate / 50);
    await ws.waitFor((m) => m.type === "transcription");
    const stopped = await c.api(`/sessions/${session.id}/stop_recording?wait=true`, "POST");
    assert.equal(stopped.status, 200, await stopped.clone().text());
    const body = await stopped.json();
    assert.equal(body.result.type, "dictation");
    const { errors, words } = wordErrors(speech.text, body.result.text);
    assert.ok(errors / words <= 0.5, `"${body.result.text}" for "${speech.text}"`);
    assert.equal(body.state, "idle");

    // The next turn, without a mode, is the session's own: a conversation with a spoken reply.
    c.llm.reply({ text: "Noted.", tokenDelayMs: 1 });
    ws.speak(speech.samples, speech.rate);
    await ws.waitFor((m) => m.type === "playback_complete", { ms: 60_000 });
    assert.deepEqual(ws.events("recording_started").map((m) => m.mode), [
      "dictation",
      "conversation",
    ]);

    // A conversation turn over HTTP waits for its reply, an empty one included.
    for (const text of ["Noted again.", ""]) {
      c.llm.reply({ text, tokenDelayMs: 1 });
      const from = ws.received.length;
      await c.api(`/sessions/${session.id}/start_recording`, "POST");
      ws.sendAudio(speech.samples, speech.rate / 50);
      // The stop goes over HTTP, the audio over the socket: the stop must not overtake it.
      await ws.waitFor((m) => m.type === "transcription", { from });
      const answer = await (await c.api(`/sessions/${session.id}/stop_recording?wait=true`, "POST"))
        .json();
      assert.deepEqual(answer.result, { type: "reply", text });
    }

    const bad = await c.api(`/sessions/${session.id}/start_recording`, "POST", { mode: "shout" });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /"mode" must be "conversation" or "dictation"/);
    const badSession = await c.api("/sessions", "POST", { mode: "shout" });
    assert.equal(badSession.status, 400);
    await badSession.body?.cancel();
  }));

Deno.test("dictation: its own vocabulary (dictation_phrases), apart from the conversation's phrases", () =>
  withConversation(async (c) => {
    const speech = await clip(1);
    const session = await (await c.api("/sessions", "POST", {
      persona_id: c.personaId,
      sample_rate: speech.rate,
      mode: "dictation",
      phrases: ["turn on the kitchen lights"],
      dictation_phrases: [speech.text, "please take a note for tomorrow morning"],
    })).json();
    const ws = await c.connect(session.id);
    ws.speak(speech.samples, speech.rate);
    await ws.waitFor((m) => m.type === "dictation", { ms: 60_000 });
    // Recognition kept to the dictation list: the reader's sentence, word for word.
    assert.equal(ws.events("dictation")[0].text, speech.text);
    const bad = await c.api("/sessions", "POST", { dictation_phrases: [""] });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /"dictation_phrases" must be a list/);
  }));
