/**
 * Hands-free sessions with real human speech: two sentences read by the LibriVox reader, with
 * pauses between them, streamed at real time into a session with no key presses. Each pause ends
 * a turn (no word cut off), each turn's text is its sentence, and the time from the end of speech
 * to the transcript is reported.
 */
import assert from "node:assert/strict";
import { withConversation } from "./helpers/conversation_harness.ts";
import { speechCorpus, wordErrors } from "./helpers/speech_corpus.ts";
import { decodeWavMono } from "../src/audio/wav.ts";
import { concatSamples } from "../src/audio/samples.ts";

const clips = (await speechCorpus()).find((s) => s.id === "librivox")!.clips.slice(1, 3);

Deno.test("hands-free: pauses in real speech end turns, without cutting words", () =>
  withConversation(async (c) => {
    const parts: Float32Array[] = [];
    let rate = 16_000;
    // A quiet room between the sentences: low noise, 1.5 s.
    const room = (seconds: number) =>
      Float32Array.from(
        { length: Math.round(rate * seconds) },
        () => (Math.random() - 0.5) * 0.002,
      );
    for (const clip of clips) {
      const wav = decodeWavMono(await Deno.readFile(clip.path));
      if (!wav.ok) throw new Error(wav.error.message);
      rate = wav.value.sampleRate;
      parts.push(room(0.5), wav.value.samples, room(1.5));
    }
    const audio = concatSamples(parts);
    const session = await (await c.api("/sessions", "POST", {
      persona_id: c.personaId,
      sample_rate: rate,
      mode: "dictation",
      hands_free: true,
      end_of_speech_ms: 700,
    })).json();
    const ws = await c.connect(session.id);
    await ws.streamAtRealTime(audio, rate);
    await ws.waitFor((m) => m.type === "dictation" && ws.events("dictation").length === 2, {
      ms: 30_000,
    });
    const results = ws.events("dictation").map((m) => String(m.text));
    for (const [i, clip] of clips.entries()) {
      const { errors, words } = wordErrors(clip.text, results[i]);
      assert.ok(errors / words <= 0.5, `turn ${i + 1}: "${results[i]}" for "${clip.text}"`);
    }
    assert.equal(ws.events("recording_started").length, 2, "one turn per sentence, no key");
    assert.deepEqual(ws.events("error"), []);
    const metrics = ws.events("turn_metrics").map((m) => m.timings as Record<string, number>);
    assert.equal(metrics.length, 2);
    for (const t of metrics) {
      assert.ok(t.speech_end_ms > 0 && t.speech_end_ms < 10_000, JSON.stringify(t));
    }
  }));
