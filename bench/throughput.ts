/**
 * @module
 * Whole-request time of the service against its bare engine, pair by pair (A B A B ...), so a
 * drift of the machine's speed cancels out:
 *  1. `/v1/audio/speech`, about a minute of speech (12 sentences, pcm) vs `espeak-ng --stdout`;
 *  2. `/v1/audio/transcriptions` of a 25 s recording of real speech (LibriVox) vs pocketsphinx
 *     decoding it whole (tests/helpers/bare_pocketsphinx.py, as a person runs it).
 * Both are measured in the steady state of a service that has run for a while (speech after ten
 * requests, see WARM_UP), and the first request after start is printed beside them.
 * Every wait is bounded.
 *
 *   deno task bench:throughput
 */
import { fileURLToPath } from "node:url";
import { summarize } from "./summary.ts";
import { AUTO_POOLS, startServer } from "../tests/helpers/server_process.ts";
import { speechCorpus } from "../tests/helpers/speech_corpus.ts";
import { decodeWavMono, encodeWav16 } from "../src/audio/wav.ts";
import { concatSamples } from "../src/audio/samples.ts";

const BARE_STT = fileURLToPath(new URL("../tests/helpers/bare_pocketsphinx.py", import.meta.url));
const PAIRS = 5;
/** Requests before the pairs (see the loop). */
const WARM_UP = 10;
const TEXT = [
  "When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow.",
  "The rainbow is a division of white light into many beautiful colors.",
  "These take the shape of a long round arch, with its path high above, and its two ends beyond the horizon.",
  "There is, according to legend, a boiling pot of gold at one end.",
  "People look, but no one ever finds it.",
  "When a man looks for something beyond his reach, his friends say he is looking for the pot of gold at the end of the rainbow.",
  "Throughout the centuries people have explained the rainbow in various ways.",
  "Some have accepted it as a miracle without physical explanation.",
  "To the Hebrews it was a token that there would be no more universal floods.",
  "The Greeks used to imagine that it was a sign from the gods to foretell war or heavy rain.",
  "The Norsemen considered the rainbow as a bridge over which the gods passed from earth to their home in the sky.",
  "Others have tried to explain the phenomenon physically, and some still do so today.",
].join(" ");

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const seconds = async (fn: () => Promise<void>) => {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
};

const dir = await Deno.makeTempDir({ prefix: "nobody-throughput-" });
// About 25 s of a real reader at 16 kHz.
const librivox = (await speechCorpus()).find((s) => s.id === "librivox")!;
const parts: Float32Array[] = [];
let total = 0;
for (const clip of librivox.clips) {
  const wav = decodeWavMono(await Deno.readFile(clip.path));
  if (!wav.ok) throw new Error(wav.error.message);
  parts.push(wav.value.samples);
  total += wav.value.samples.length;
  if (total >= 16_000 * 24.5) break;
}
const recording = `${dir}/recording.wav`;
await Deno.writeFile(recording, encodeWav16(concatSamples(parts), 16_000));
const recordingSeconds = total / 16_000;

const server = await startServer(`${dir}/data`, [], { NOBODY_WORKERS: "true", ...AUTO_POOLS });
const auth = { authorization: `Bearer ${server.token}` };
const rows: { figure: string; service: number; bare: number; ratio: number; goal: string }[] = [];
const cold: Record<string, number> = {};
try {
  const speak = async () => {
    const response = await fetch(`${server.url}/v1/audio/speech`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ model: "tts-1", voice: "alloy", input: TEXT, response_format: "pcm" }),
      signal: AbortSignal.timeout(120_000),
    });
    if (!response.ok) throw new Error(`speech: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  const espeak = async () => {
    const child = new Deno.Command("espeak-ng", {
      args: ["--stdout"],
      stdin: "piped",
      stdout: "piped",
      signal: AbortSignal.timeout(120_000),
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(TEXT));
    await writer.close();
    await child.output();
  };
  const transcribe = async () => {
    const form = new FormData();
    form.append("file", new Blob([await Deno.readFile(recording)]), "recording.wav");
    form.append("model", "whisper-1");
    const response = await fetch(`${server.url}/v1/audio/transcriptions`, {
      method: "POST",
      headers: auth,
      body: form,
      signal: AbortSignal.timeout(300_000),
    });
    if (!response.ok) throw new Error(`transcription: ${response.status} ${await response.text()}`);
    await response.text();
  };
  const bareStt = async () => {
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [BARE_STT, recording],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(300_000),
    }).output();
    if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  };
  for (
    const [figure, a, b, goal, warmUp] of [
      ["/v1/audio/speech, 12 sentences, pcm (s)", speak, espeak, 1.5, WARM_UP],
      // Seconds of decoding per request: the JIT's share is lost in it.
      [
        `/v1/audio/transcriptions, ${recordingSeconds.toFixed(1)} s (s)`,
        transcribe,
        bareStt,
        1.2,
        1,
      ],
    ] as const
  ) {
    // The first request loads what the worker keeps, and the next few still run the core's and
    // the worker's code before the JIT has compiled it (a minute of speech: 300 ms, then about
    // 100 ms for four requests, then 55-60 ms from the tenth). A service that has run for a while
    // is the steady state measured; the first request is reported beside it.
    cold[figure] = await seconds(a);
    for (let i = 1; i < warmUp; i++) await a();
    const [as, bs, ratios]: number[][] = [[], [], []];
    for (let i = 0; i < PAIRS; i++) {
      const ta = await seconds(a);
      const tb = await seconds(b);
      as.push(ta);
      bs.push(tb);
      ratios.push(ta / tb);
    }
    rows.push({
      figure,
      service: median(as),
      bare: median(bs),
      ratio: median(ratios),
      goal: `<= ${goal}`,
    });
  }
} finally {
  await server.stop();
  await Deno.remove(dir, { recursive: true });
}

const w = Math.max(...rows.map((r) => r.figure.length));
console.log(`| ${"figure".padEnd(w)} | service | bare engine | ratio | goal |`);
console.log(`| ${"-".repeat(w)} | ------- | ----------- | ----- | ---- |`);
for (const r of rows) {
  console.log(
    `| ${r.figure.padEnd(w)} | ${r.service.toFixed(2).padStart(7)} | ${
      r.bare.toFixed(2).padStart(11)
    } | ${r.ratio.toFixed(2).padStart(5)} | ${r.goal} |`,
  );
}
console.log(
  `\nThe first request after start: ${
    rows.map((r) => `${r.figure.split(",")[0]} ${cold[r.figure].toFixed(2)} s`).join(", ")
  }.`,
);
await summarize(rows.map((r) => ({
  bench: "throughput",
  figure: `${r.figure.replace(" (s)", "")}: service / bare engine, median of ${PAIRS} pairs`,
  value: `${r.ratio.toFixed(2)} (${r.service.toFixed(2)} s / ${r.bare.toFixed(2)} s)`,
  goal: r.goal,
})));
