/**
 * @module
 * Dictation latency with the real workers and real human speech (the LibriVox reader of
 * pocketsphinx-testdata), over the WebSocket:
 *  1. key release (stop_recording) -> the `dictation` event with the text;
 *  2. hands-free: the end of each sentence's audio (known from the clips) -> its `dictation`
 *     event, measured here (this includes the pause that ends the turn, end_of_speech_ms = 700),
 *     the sentences streamed at real time; the service's own speech_end_ms is printed beside it.
 * Every wait is bounded: a turn that does not finish fails the benchmark.
 *
 *   deno task bench:dictation
 */
import { AUTO_POOLS } from "../tests/helpers/server_process.ts";
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
  const parts = speech.flatMap(({ samples }) => [room(0.5), samples, room(1.5)]);
  // Where each sentence's audio ends in the stream: known from the clips, not from the service.
  const sentenceEnds: number[] = [];
  let at = 0;
  for (const [i, part] of parts.entries()) {
    at += part.length;
    if (i % 3 === 1) sentenceEnds.push(at / rate * 1000);
  }
  const started = await free.streamAtRealTime(concatSamples(parts), rate);
  await free.waitFor(() => free.events("turn_metrics").length >= speech.length, { ms: 30_000 });
  // Measured here: the dictation's arrival against the end of its sentence's audio (which may
  // trail a little quiet, so this is if anything an overstatement).
  const arrivals = free.received.flatMap((r, i) =>
    r.kind === "event" && r.message.type === "dictation" ? [free.arrivals[i]] : []
  );
  rows.push({
    figure: `hands-free: end of the sentence's audio -> text (ms, incl. ${SILENCE_MS} ms pause)`,
    values: arrivals.map((t, i) => t - started - sentenceEnds[i]),
    goal: `<= ${SILENCE_MS + 1000}`,
  });
  rows.push({
    figure: "hands-free: the service's own speech_end_ms (report)",
    values: free.events("turn_metrics").map((m) =>
      (m.timings as { speech_end_ms: number }).speech_end_ms
    ),
    goal: "report",
  });
  rows.push({
    figure: "hands-free: turns found for sentences spoken",
    values: [free.events("dictation").length / speech.length * 100],
    goal: ">= 100",
  });
}, { env: AUTO_POOLS });

await reportPercentiles("dictation", rows);
