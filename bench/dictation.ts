/**
 * @module
 * Dictation latency with the real workers and real human speech (the LibriVox reader of
 * pocketsphinx-testdata), over the WebSocket:
 *  1. key release (stop_recording) -> the `dictation` event with the text;
 *  2. hands-free: end of speech -> final transcript, as turn_metrics reports it (this includes the
 *     pause that ends the turn, end_of_speech_ms = 700), the sentence streamed at real time.
 * Every wait is bounded: a turn that does not finish fails the benchmark.
 *
 *   deno task bench:dictation
 */
import { type Percentiles, reportPercentiles } from "./summary.ts";
import { withConversation } from "../tests/helpers/conversation_harness.ts";
import { speechCorpus } from "../tests/helpers/speech_corpus.ts";
import { decodeWavMono } from "../src/audio/wav.ts";
import { concatSamples } from "../src/audio/samples.ts";

const SILENCE_MS = 700;

const clips = (await speechCorpus()).find((s) => s.id === "librivox")!.clips;
const speech = await Promise.all(clips.map(async (clip) => {
  const wav = decodeWavMono(await Deno.readFile(clip.path));
  if (!wav.ok) throw new Error(wav.error.message);
  return wav.value;
}));
const rate = speech[0].sampleRate;

const rows: Percentiles[] = [];
await withConversation(async (c) => {
  // 1. Push-to-talk dictation: every clip, three times.
  const ptt = await c.connect(
    (await (await c.api("/sessions", "POST", {
      persona_id: c.personaId,
      sample_rate: rate,
      mode: "dictation",
    })).json()).id,
  );
  const release: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const { samples } of speech) {
      const from = ptt.received.length;
      ptt.send({ type: "start_recording" });
      ptt.sendAudio(samples, rate / 50);
      const released = performance.now();
      ptt.send({ type: "stop_recording" });
      await ptt.waitFor((m) => m.type === "dictation", { from, ms: 60_000 });
      release.push(performance.now() - released);
    }
  }
  rows.push({ figure: "dictation: key release -> text (ms)", values: release, goal: "<= 1000" });

  // 2. Hands-free: each clip with a quiet room around it, at real time.
  const room = (seconds: number) =>
    Float32Array.from({ length: Math.round(rate * seconds) }, () => (Math.random() - 0.5) * 0.002);
  const free = await c.connect(
    (await (await c.api("/sessions", "POST", {
      persona_id: c.personaId,
      sample_rate: rate,
      mode: "dictation",
      hands_free: true,
      end_of_speech_ms: SILENCE_MS,
    })).json()).id,
  );
  const audio = concatSamples(speech.flatMap(({ samples }) => [room(0.5), samples, room(1.5)]));
  await free.streamAtRealTime(audio, rate);
  await free.waitFor(() => free.events("turn_metrics").length >= speech.length, { ms: 30_000 });
  const ends = free.events("turn_metrics").map((m) =>
    (m.timings as { speech_end_ms: number }).speech_end_ms
  );
  rows.push({
    figure: `hands-free: end of speech -> text (ms, incl. ${SILENCE_MS} ms pause)`,
    values: ends,
    goal: `<= ${SILENCE_MS + 1000}`,
  });
  rows.push({
    figure: "hands-free: turns found for sentences spoken",
    values: [free.events("dictation").length / speech.length * 100],
    goal: ">= 100",
  });
});

await reportPercentiles("dictation", rows);
