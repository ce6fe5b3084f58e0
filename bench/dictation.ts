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
import { summarize } from "./summary.ts";
import { withConversation } from "../tests/helpers/conversation_harness.ts";
import { speechCorpus } from "../tests/helpers/speech_corpus.ts";
import { decodeWavMono } from "../src/audio/wav.ts";
import { concatSamples } from "../src/audio/samples.ts";

const SILENCE_MS = 700;
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))] ?? NaN;
};

const clips = (await speechCorpus()).find((s) => s.id === "librivox")!.clips;
const speech = await Promise.all(clips.map(async (clip) => {
  const wav = decodeWavMono(await Deno.readFile(clip.path));
  if (!wav.ok) throw new Error(wav.error.message);
  return wav.value;
}));
const rate = speech[0].sampleRate;

const rows: { figure: string; values: number[]; goal: string }[] = [];
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
  const frame = rate / 50;
  const started = performance.now();
  for (let i = 0; i < audio.length; i += frame) {
    free.socket.send(audio.slice(i, i + frame).buffer);
    const due = started + (i + frame) / rate * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
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

const w = Math.max(...rows.map((r) => r.figure.length));
console.log(`| ${"figure".padEnd(w)} |    p50 |    p99 | goal |`);
console.log(`| ${"-".repeat(w)} | ------ | ------ | ---- |`);
for (const r of rows) {
  console.log(
    `| ${r.figure.padEnd(w)} | ${pct(r.values, 50).toFixed(1).padStart(6)} | ${
      pct(r.values, 99).toFixed(1).padStart(6)
    } | ${r.goal} |`,
  );
}
await summarize(rows.map((r) => ({
  bench: "dictation",
  figure: `${r.figure}, p50 / p99`,
  value: `${pct(r.values, 50).toFixed(1)} / ${pct(r.values, 99).toFixed(1)}`,
  goal: r.goal,
})));
