/**
 * @module
 * Worker round trips over Connect/gRPC on Unix sockets, with the real Python workers:
 * Health.Check, a one-chunk (20 ms) utterance through STT, end of input to final result for a
 * streamed utterance, and TTS time to first audio chunk.
 *
 *   deno run -A bench/grpc.ts
 */
import { summarize } from "./summary.ts";
import { createWorkers } from "../main.ts";
import { ConsoleLogger } from "../src/adapters/log/console_logger.ts";
import { probeHealth } from "../src/adapters/grpc/health.ts";
import { loadConfig } from "../src/config/config.ts";

const ROUNDS = 200;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
}

interface Row {
  readonly figure: string;
  readonly p50: number;
  readonly p99: number;
  readonly goal: string;
}

async function main(): Promise<Row[]> {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-bench-" });
  const config = loadConfig({
    os: Deno.build.os,
    env: { HOME: dataDir, NOBODY_DATA_DIR: dataDir },
    flags: {},
    readText: () => null,
  });
  const workers = await createWorkers(config, new ConsoleLogger({ level: "error" }));
  try {
    const sttTransport = await workers.supervisor.acquire("stt", { timeoutMs: 60_000 });
    await workers.supervisor.acquire("tts", { timeoutMs: 60_000 });
    const time = async (fn: () => Promise<void>) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };

    const health: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      health.push(await time(() => probeHealth(sttTransport, { timeoutMs: 5_000 }).then(() => {})));
    }

    const speech: Float32Array[] = [];
    for await (
      const chunk of workers.tts.synthesize("turn on the kitchen lights", { sampleRate: 16_000 })
    ) {
      speech.push(chunk.samples);
    }
    const audio = Float32Array.from(speech.flatMap((s) => [...s]));
    const frame = 320; // 20 ms at 16 kHz

    const oneChunk: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      oneChunk.push(
        await time(async () => {
          const stream = workers.stt.stream({
            sampleRate: 16_000,
            phrases: ["turn on the kitchen lights"],
          });
          stream.pushAudio(audio.subarray(8_000, 8_000 + frame));
          stream.endInput();
          for await (const _ of stream.events) { /* until final */ }
        }),
      );
    }

    const endToFinal: number[] = [];
    for (let i = 0; i < 30; i++) {
      const stream = workers.stt.stream({
        sampleRate: 16_000,
        phrases: ["turn on the kitchen lights"],
      });
      const events = stream.events[Symbol.asyncIterator]();
      for (let at = 0; at < audio.length; at += frame) {
        stream.pushAudio(audio.subarray(at, at + frame));
      }
      // Let the worker catch up with the streamed audio, as it would while a person speaks.
      await new Promise((r) => setTimeout(r, 300));
      const start = performance.now();
      stream.endInput();
      while (true) {
        const { done, value } = await events.next();
        if (done || value.type === "final") break;
      }
      endToFinal.push(performance.now() - start);
    }

    const firstChunk: number[] = [];
    for (let i = 0; i < 50; i++) {
      const start = performance.now();
      for await (const _ of workers.tts.synthesize("Hello there, how can I help you today?")) {
        firstChunk.push(performance.now() - start);
        break;
      }
    }
    return [
      {
        figure: "Health.Check round trip (ms)",
        p50: percentile(health, 50),
        p99: percentile(health, 99),
        goal: "<= 5",
      },
      {
        figure: "STT one 20 ms chunk: send -> final (ms)",
        p50: percentile(oneChunk, 50),
        p99: percentile(oneChunk, 99),
        goal: "<= 50",
      },
      {
        figure: "STT streamed utterance: end of input -> final (ms)",
        p50: percentile(endToFinal, 50),
        p99: percentile(endToFinal, 99),
        goal: "<= 100",
      },
      {
        figure: "TTS time to first chunk (ms)",
        p50: percentile(firstChunk, 50),
        p99: percentile(firstChunk, 99),
        goal: "<= 100",
      },
    ];
  } finally {
    await workers.supervisor.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

if (import.meta.main) {
  const rows = await main();
  const w = Math.max(...rows.map((r) => r.figure.length));
  console.log(`| ${"figure".padEnd(w)} |    p50 |    p99 | goal |`);
  console.log(`| ${"-".repeat(w)} | ------ | ------ | ---- |`);
  for (const r of rows) {
    console.log(
      `| ${r.figure.padEnd(w)} | ${r.p50.toFixed(1).padStart(6)} | ${
        r.p99.toFixed(1).padStart(6)
      } | ${r.goal} |`,
    );
  }
  await summarize(rows.map((r) => ({
    bench: "grpc",
    figure: `${r.figure}, p50 / p99`,
    value: `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)}`,
    goal: r.goal,
  })));
}
