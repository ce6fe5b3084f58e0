/**
 * @module
 * Audio engine benchmark: SPSC ring throughput, the latency that capture -> ring -> main thread ->
 * ring -> playback adds, and underruns/overruns at 10 ms and 20 ms periods with an idle and with
 * a busy main thread. Runs on headless ALSA devices paced by a real-time clock.
 *
 *   deno run -A bench/audio.ts
 */
import { summarize } from "./summary.ts";
import { SpscRing } from "../src/audio/ring.ts";
import { DeviceAudio } from "../src/adapters/audio/device_audio.ts";
import { decodeWavMono } from "../src/audio/wav.ts";
import { headlessAudio, onset, testTone, toS16, useInProcess } from "../tests/helpers/alsa.ts";

const RATE = 48_000;
const LIBRARY = Deno.build.os === "darwin" ? "libportaudio.dylib" : "libportaudio.so.2";

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly goal: string;
}

async function ringThroughput(): Promise<Row[]> {
  const seconds = 600; // ten minutes of 48 kHz audio
  const total = seconds * RATE;
  const ring = SpscRing.create(RATE); // one second
  const chunk = new Float32Array(480);
  const out = new Float32Array(480);
  let start = performance.now();
  for (let moved = 0; moved < total; moved += 480) {
    ring.write(chunk);
    ring.read(out);
  }
  const oneThread = seconds / ((performance.now() - start) / 1000);

  const producer = new Worker(new URL("../src/audio/ring_test_producer.ts", import.meta.url), {
    type: "module",
  });
  const done = new Promise((resolve) => (producer.onmessage = resolve));
  start = performance.now();
  producer.postMessage({ buffer: ring.buffer, total });
  let received = 0;
  while (received < total) received += ring.read(out);
  await done;
  producer.terminate();
  const twoThreads = seconds / ((performance.now() - start) / 1000);
  return [
    {
      figure: "ring throughput, one thread (x real time)",
      value: oneThread.toFixed(0),
      goal: ">= 100",
    },
    {
      figure: "ring throughput, two threads (x real time)",
      value: twoThreads.toFixed(0),
      goal: ">= 100",
    },
  ];
}

interface LoopResult {
  readonly latencyMs: number;
  readonly underrunSamples: number;
  readonly overrunSamples: number;
  readonly deviceXruns: number;
}

/** Plays the microphone back to the speaker through the main thread for `ms`. */
async function loopback(
  periodMs: number,
  busyMs: number,
  prefillPeriods: number,
): Promise<LoopResult> {
  const dir = await Deno.makeTempDir({ prefix: "nobody-bench-" });
  try {
    const audio = await headlessAudio(dir, { clocked: true });
    useInProcess(audio);
    const tone = testTone({ sampleRate: RATE, ms: 3_000, silenceMs: 500 });
    await Deno.writeFile(audio.micFile, toS16(tone));
    const frames = RATE * periodMs / 1000;
    const device = await DeviceAudio.open({
      library: LIBRARY,
      capture: { sampleRate: RATE, framesPerBuffer: frames },
      playback: { sampleRate: RATE, framesPerBuffer: frames },
    });
    await device.playback!.write(new Float32Array(frames * prefillPeriods));
    const controller = new AbortController();
    let moved = 0;
    for await (const frame of device.capture!.frames({ signal: controller.signal })) {
      await device.playback!.write(frame);
      moved += frame.length;
      if (busyMs > 0 && (moved / frames) % 2 === 0) {
        const until = performance.now() + busyMs; // a main thread busy with other work
        while (performance.now() < until) { /* spin */ }
      }
      if (moved >= tone.length) controller.abort();
    }
    await device.playback!.drain();
    const stats = await device.close();
    const played = decodeWavMono(await Deno.readFile(audio.speakerFile));
    if (!played.ok) throw new Error(played.error.message);
    return {
      latencyMs: (onset(played.value.samples) - onset(tone)) * 1000 / RATE,
      underrunSamples: stats.playback!.underrunSamples,
      overrunSamples: stats.capture!.overrunSamples,
      deviceXruns: stats.capture!.deviceXruns + stats.playback!.deviceXruns,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function loopbackRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const periodMs of [10, 20]) {
    // One period of prefill leaves the device buffer's first fill short (counted as underrun);
    // two periods are the setting a duplex path should use, so only they have a zero goal.
    for (const [busyMs, prefill] of [[0, 1], [0, 2], [15, 1], [15, 2]]) {
      const r = await loopback(periodMs, busyMs, prefill);
      const label = `${periodMs} ms period, main ${
        busyMs ? `busy ${busyMs} ms/2 periods` : "idle"
      }, prefill ${prefill}`;
      rows.push(
        {
          figure: `${label}: added latency (ms)`,
          value: r.latencyMs.toFixed(1),
          goal: `<= ${4 * periodMs}`,
        },
        {
          figure: `${label}: underrun / overrun samples, device xruns`,
          value: `${r.underrunSamples} / ${r.overrunSamples}, ${r.deviceXruns}`,
          goal: prefill === 2 ? "0 / 0, 0" : "report",
        },
      );
    }
  }
  return rows;
}

function print(rows: Row[]): void {
  const w = Math.max(...rows.map((r) => r.figure.length));
  const v = Math.max(...rows.map((r) => r.value.length), 5);
  console.log(`| ${"figure".padEnd(w)} | ${"value".padStart(v)} | goal |`);
  console.log(`| ${"-".repeat(w)} | ${"-".repeat(v)} | ---- |`);
  for (const r of rows) {
    console.log(`| ${r.figure.padEnd(w)} | ${r.value.padStart(v)} | ${r.goal} |`);
  }
}

if (import.meta.main) {
  const rows = [...await ringThroughput(), ...await loopbackRows()];
  print(rows);
  await summarize(rows.map((r) => ({ bench: "audio", ...r })));
}
