/**
 * @module
 * Turn latency: key release (stop_recording) -> first reply sample, with the stage breakdown.
 *  1. instant in-process engines: what the project itself adds;
 *  2. the real local workers (pocketsphinx, espeak-ng) over the WebSocket, LLM on a local server;
 *  3. 1, 4, 8 and 32 concurrent WebSocket sessions doing the same;
 *  4. cancel -> the LLM server seeing its connection closed, mid-reply.
 * Every wait is bounded: a turn that does not finish fails the benchmark.
 *
 *   deno run -A bench/turn.ts
 */
import { type Percentiles, reportPercentiles } from "./summary.ts";
import { Session, type SessionDeps } from "../src/app/session.ts";
import type { AudioSink } from "../src/ports/audio_io.ts";
import type { SttEngine } from "../src/ports/stt_engine.ts";
import type { TtsEngine } from "../src/ports/tts_engine.ts";
import { AsyncQueue } from "../src/lib/async_queue.ts";
import { PHRASES, withConversation } from "../tests/helpers/conversation_harness.ts";
import { waitUntil } from "../tests/helpers/wait.ts";
import { AUTO_POOLS } from "../tests/helpers/server_process.ts";

type Row = Percentiles;

/** Engines that answer at once, so only the project's own work is measured. */
function instantDeps(onPlayed: () => void): SessionDeps {
  const stt: SttEngine = {
    stream: () => {
      const events = new AsyncQueue<
        { type: "final"; text: string; audioMs: number; endOfTurnProbability: number }
      >();
      return {
        pushAudio: () => {},
        endInput: () => {
          events.push({ type: "final", text: "hello there", audioMs: 0, endOfTurnProbability: 1 });
          events.end();
        },
        events,
        close: () => events.end(),
      };
    },
  };
  const tts: TtsEngine = {
    synthesize: () => (async function* () {})(),
    stream: () => {
      const chunks = new AsyncQueue<
        { samples: Float32Array; sampleRate: number; textIndex: number }
      >();
      return {
        pushText: () =>
          chunks.push({ samples: new Float32Array(480), sampleRate: 48_000, textIndex: 0 }),
        endInput: () => chunks.end(),
        chunks,
        close: () => chunks.end(),
      };
    },
  };
  const persona = {
    id: "persona_aaaaaaaaaaaaaaaaaaaa",
    name: "Ada",
    systemPrompt: "",
    llm: { provider: "ollama" as const, model: "m", baseUrl: null, temperature: null, think: null },
    voiceId: null,
    createdAt: 0,
    updatedAt: 0,
  };
  return {
    stt,
    tts,
    llm: () => ({
      chat: async function* () {
        yield "Hi. ";
        yield "How are you?";
      },
    }),
    history: {
      append: () => {},
      recent: (id) => ({ personaId: id, messages: [] }),
      clear: () => 0,
    },
    metrics: { record: () => {}, recent: () => [] },
    persona: () => persona,
    voiceExists: () => true,
    publish: (event) => {
      if (event.type === "playback_complete") onPlayed();
    },
    now: () => performance.now(),
    wallClock: () => Date.now(),
  };
}

async function inProcess(turns: number): Promise<Row> {
  const values: number[] = [];
  for (let i = 0; i < turns; i++) {
    let done = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    let firstWrite = 0;
    const sink: AudioSink = {
      sampleRate: 48_000,
      write: () => {
        firstWrite ||= performance.now();
        return Promise.resolve();
      },
      finish: () => Promise.resolve(),
      flush: () => {},
      latencyMs: () => 0,
    };
    const session = new Session(
      {
        id: "session_aaaaaaaaaaaaaaaaaaaa",
        personaId: "persona_aaaaaaaaaaaaaaaaaaaa",
        voiceId: null,
        phrases: [],
        audio: "socket",
        sampleRate: 48_000,
        mode: "conversation",
        cleanup: false,
      },
      instantDeps(done),
      null,
    );
    session.attachSocket(sink);
    session.handle({ type: "start_recording" });
    const released = performance.now();
    session.handle({ type: "stop_recording" });
    await finished;
    values.push(firstWrite - released);
    await session.close();
  }
  return { figure: "instant engines: key release -> first sample (ms)", values, goal: "<= 5" };
}

async function overWebSocket(turns: number, concurrent: number): Promise<Row[]> {
  const rows: Row[] = [];
  await withConversation(async (c) => {
    c.llm.reply({ text: "Sure. The lights are on now.", tokenDelayMs: 0 });
    const speech = await c.speech(PHRASES[0], 16_000);
    const oneTurn = async (ws: Awaited<ReturnType<typeof c.connect>>) => {
      const from = ws.speak(speech, 16_000);
      const released = performance.now();
      await ws.waitFor((m) => m.type === "playback_started", { from });
      await waitUntil("the reply's first sample", () => ws.audioAfter(from) > 0, { everyMs: 1 });
      const first = performance.now() - released;
      await ws.waitFor((m) => m.type === "turn_metrics", { from });
      await ws.waitFor((m) => m.type === "state" && m.state === "idle", { from });
      return {
        first,
        timings: ws.events("turn_metrics").at(-1)!.timings as Record<string, number>,
      };
    };
    const open = () => c.openSession(16_000);
    const single = await open();
    await oneTurn(single); // warm up the workers
    const results = [];
    for (let i = 0; i < turns; i++) results.push(await oneTurn(single));
    rows.push(
      {
        figure: "real workers: key release -> first sample received (ms)",
        values: results.map((r) => r.first),
        goal: "<= 300",
      },
      {
        figure: "  stage: final transcript (ms)",
        values: results.map((r) => r.timings.transcript_ms),
        goal: "report",
      },
      {
        figure: "  stage: first LLM token (ms)",
        values: results.map((r) => r.timings.first_token_ms),
        goal: "report",
      },
      {
        figure: "  stage: first sentence (ms)",
        values: results.map((r) => r.timings.first_sentence_ms),
        goal: "report",
      },
      {
        figure: "  stage: first TTS audio (ms)",
        values: results.map((r) => r.timings.first_audio_ms),
        goal: "report",
      },
    );
    for (const n of [1, 4, 8, concurrent]) {
      const clients = await Promise.all(Array.from({ length: n }, open));
      const values: number[] = [];
      // Rounds of n simultaneous turns, enough for a p99 over at least 30 turns.
      for (let round = 0; round < Math.max(1, Math.ceil(30 / n)); round++) {
        values.push(...(await Promise.all(clients.map(oneTurn))).map((r) => r.first));
      }
      for (const client of clients) await client.close();
      rows.push({
        figure: `${n} concurrent session${n > 1 ? "s" : ""}: key release -> first sample (ms)`,
        values,
        goal: n <= 8 ? "<= 1000" : "<= 2000",
      });
    }
    // Cancel mid-reply: how long until the model server sees the request end.
    c.llm.reply({ text: "This is a long answer that keeps going. ".repeat(40), tokenDelayMs: 20 });
    const cancels: number[] = [];
    for (let i = 0; i < 10; i++) {
      const from = single.speak(speech, 16_000);
      await single.waitFor((m) => m.type === "playback_started", { from });
      const request = c.llm.requests.at(-1)!;
      const cancelled = performance.now();
      single.send({ type: "cancel" });
      await waitUntil("the LLM connection to close", () => request.closedAt, { everyMs: 1 });
      cancels.push(request.closedAt! - cancelled);
      await single.waitFor((m) => m.type === "state" && m.state === "idle", { from });
    }
    rows.push({ figure: "cancel -> LLM connection closed (ms)", values: cancels, goal: "<= 100" });
  }, { env: AUTO_POOLS });
  return rows;
}

if (import.meta.main) {
  const rows = [await inProcess(200), ...await overWebSocket(30, 32)];
  await reportPercentiles("turn", rows);
}
