/**
 * @module
 * Scale within one machine: N sessions speak at once (20 ms frames in real time), release the key
 * together, and each measures key release -> first reply sample, for N = 1, 4, 8, 16 and 32,
 * against a real `nobody serve` with its worker pools sized by the service.
 *
 * Beside each figure is its CPU bound: what the bare engines need for those N turns. One turn
 * costs t = pocketsphinx's CPU to decode the turn's audio whole (with the phrase list) plus
 * espeak-ng's CPU to speak the reply's first sentence (bench/bare_turn_cpu.py). With C cores no
 * schedule answers the k-th of N simultaneous turns before max(t, k·t/C): k = N/2 for the p50,
 * k = 0.99·N for the p99. The goal is within 1.5x of the bound, and 32 sessions p50 under 2 s.
 * The bound is for work that starts at the key release. The service does most of it while the
 * person speaks (a known speaker's audio is decoded as it arrives, and the espeak-ng process for
 * the first sentence starts with the turn), so it can answer under the bound: the warm-up round
 * is every session's first turn, and the rounds measured are later ones.
 * Every wait is bounded: a stuck turn fails the benchmark.
 *
 *   deno task bench:sessions [--counts 1,4,8,16,32] [--stt-processes N] [--tts-processes N]
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startServer } from "../tests/helpers/server_process.ts";
import { startFakeLlm } from "../tests/helpers/fake_llm.ts";
import { Resampler } from "../src/audio/resampler.ts";
import { concatSamples } from "../src/audio/samples.ts";
import { percentile, summarize } from "./summary.ts";
import { serviceApi, speechFromService } from "./service_client.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    counts: { type: "string", default: "1,4,8,16,32" },
    "stt-processes": { type: "string", default: "0" },
    "tts-processes": { type: "string", default: "0" },
  },
});
const COUNTS = args.counts.split(",").map(Number);
const RATE = 24_000;
const FRAME = RATE / 50;
const PHRASES = ["turn on the kitchen lights", "play some music", "what time is it"];
const REPLY = "Sure. The lights are on now.";
const FIRST_SENTENCE = "Sure.";
/** Turns per N: enough for a p99 at small N, a few rounds at large N. */
const turnsFor = (n: number) => Math.max(2 * n, 24);
/** Far longer than any turn with these engines takes: past it a turn is stuck. */
const TURN_LIMIT_MS = 60_000;
const CORES = navigator.hardwareConcurrency || 1;
const BARE = fileURLToPath(new URL("./bare_turn_cpu.py", import.meta.url));

/** A process's CPU time so far (user + system), in ms. */
function cpuMs(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return 0;
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = await Deno.makeTempDir({ prefix: "nobody-sessions-" });
const llm = startFakeLlm();
llm.reply({ text: REPLY, tokenDelayMs: 0 });
const server = await startServer(dir, [], {
  NOBODY_WORKERS: "true",
  NOBODY_LOG_LEVEL: "warn",
  NOBODY_STT_PROCESSES: args["stt-processes"],
  NOBODY_TTS_PROCESSES: args["tts-processes"],
});
const api = serviceApi(server);

interface Turn {
  readonly firstMs: number;
  /** The service's own stage marks (turn_metrics), from the key release. */
  readonly stages: Record<string, number>;
}

interface Client {
  ws: WebSocket;
  /** Resolves with key release -> first binary frame, once the turn is back to idle. */
  turn(speech: Float32Array, releaseAt: number): Promise<Turn>;
}

async function openClient(personaId: string): Promise<Client> {
  const session = await (await api("/sessions", "POST", {
    persona_id: personaId,
    audio: "socket",
    sample_rate: RATE,
    phrases: PHRASES,
  })).json();
  const ws = new WebSocket(
    `${server.url.replace("http", "ws")}/ws/session/${session.id}?token=${server.token}`,
  );
  ws.binaryType = "arraybuffer";
  let onMessage: (data: unknown, at: number) => void = () => {};
  ws.onmessage = (e) => onMessage(e.data, performance.now());
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  ws.send(JSON.stringify({ type: "hello", sample_rate: RATE }));
  return {
    ws,
    turn: async (speech, releaseAt) => {
      let first = 0, released = 0;
      let stages: Record<string, number> = {};
      const done = new Promise<Turn>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("stuck turn")), TURN_LIMIT_MS);
        ws.onclose = () => reject(new Error("the socket closed"));
        onMessage = (data, at) => {
          if (typeof data !== "string") {
            first ||= at;
            return;
          }
          const m = JSON.parse(data);
          if (m.type === "error") reject(new Error(`error event: ${m.message}`));
          if (m.type === "turn_metrics") stages = m.timings;
          if (m.type === "state" && m.state === "idle" && released) {
            clearTimeout(timer);
            resolve({ firstMs: first - released, stages });
          }
        };
      });
      ws.send(JSON.stringify({ type: "start_recording" }));
      // Speech ends at releaseAt for every session: frames are paced against that clock.
      const startAt = releaseAt - speech.length / RATE * 1000;
      for (let i = 0, k = 0; i < speech.length; i += FRAME, k++) {
        const wait = startAt + k * 20 - performance.now();
        if (wait > 0) await delay(wait);
        ws.send(speech.slice(i, i + FRAME));
      }
      const wait = releaseAt - performance.now();
      if (wait > 0) await delay(wait);
      released = performance.now();
      ws.send(JSON.stringify({ type: "stop_recording" }));
      return await done;
    },
  };
}

async function bareTurnCpuMs(speech: Float32Array): Promise<{ stt: number; tts: number }> {
  const r = new Resampler(RATE, 16_000);
  const at16 = concatSamples([r.process(speech), r.flush()]);
  const file = await Deno.makeTempFile({ suffix: ".f32" });
  await Deno.writeFile(file, new Uint8Array(at16.buffer));
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [BARE, file, JSON.stringify(PHRASES), FIRST_SENTENCE, "15"],
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(120_000),
  }).output();
  await Deno.remove(file);
  if (!out.success) throw new Error("bare_turn_cpu.py failed");
  const figures = JSON.parse(new TextDecoder().decode(out.stdout));
  return { stt: figures.stt_cpu_ms, tts: figures.tts_cpu_ms };
}

let failed = false;
try {
  // The service's own speech is the person's: made once, by its TTS worker (ready by then).
  const speech = await speechFromService(api, PHRASES[0]);
  const persona = await (await api("/personas", "POST", {
    name: "Scale",
    llm: { provider: "ollama", model: "m", baseUrl: llm.url },
  })).json();
  const bare = await bareTurnCpuMs(speech);
  const t = bare.stt + bare.tts;
  const status = await (await api("/status")).json();
  const pool = (name: string) =>
    status.workers.filter((w: { name: string }) => w.name === name).length;
  console.log(
    `${CORES} cores; pools: stt ${pool("stt")}, tts ${pool("tts")}; speech ${
      (speech.length / RATE).toFixed(2)
    } s; bare engines per turn: pocketsphinx ${bare.stt.toFixed(1)} ms + espeak-ng ${
      bare.tts.toFixed(1)
    } ms CPU`,
  );
  const bound = (k: number) => Math.max(t, Math.ceil(k) * t / CORES);

  const clients: Client[] = [];
  const cpu = async () => {
    const workers = (await (await api("/status")).json()).workers as {
      name: string;
      pid: number | null;
    }[];
    const by: Record<string, number> = { core: cpuMs(server.child.pid) };
    for (const w of workers) if (w.pid) by[w.name] = (by[w.name] ?? 0) + cpuMs(w.pid);
    return by;
  };
  const cpuPerTurn: Record<number, Record<string, number>> = {};
  const measure = async (n: number, rounds: number) => {
    while (clients.length < n) clients.push(await openClient(persona.id));
    const values: Turn[] = [];
    const before = await cpu();
    for (let round = 0; round < rounds; round++) {
      const releaseAt = performance.now() + 500 + speech.length / RATE * 1000;
      values.push(...await Promise.all(clients.slice(0, n).map((c) => c.turn(speech, releaseAt))));
      await delay(200);
    }
    const after = await cpu();
    cpuPerTurn[n] = Object.fromEntries(
      Object.keys(after).map((k) => [k, (after[k] - (before[k] ?? 0)) / values.length]),
    );
    return values;
  };
  // A warm-up round at the largest N: every pool member has decoded before anything is measured.
  await measure(Math.max(...COUNTS), 1);
  const rows: { n: number; values: Turn[] }[] = [];
  for (const n of COUNTS) rows.push({ n, values: await measure(n, Math.ceil(turnsFor(n) / n)) });
  for (const c of clients) c.ws.close();

  const table = rows.map((r) => {
    const firsts = r.values.map((v) => v.firstMs);
    const p50 = percentile(firsts, 50), p99 = percentile(firsts, 99);
    const b50 = bound(r.n / 2), b99 = bound(0.99 * r.n);
    const stage = (key: string) => percentile(r.values.map((v) => v.stages[key] ?? NaN), 50);
    return {
      n: r.n,
      turns: r.values.length,
      p50,
      p99,
      b50,
      b99,
      stages: ["transcript_ms", "first_token_ms", "first_audio_ms"].map(stage),
    };
  });
  console.log("| sessions | turns | p50 ms | bound | p50/bound | p99 ms | bound | p99/bound |");
  console.log("| -------- | ----- | ------ | ----- | --------- | ------ | ----- | --------- |");
  for (const r of table) {
    console.log(
      `| ${String(r.n).padStart(8)} | ${String(r.turns).padStart(5)} | ${
        r.p50.toFixed(0).padStart(6)
      } | ${r.b50.toFixed(0).padStart(5)} | ${(r.p50 / r.b50).toFixed(2).padStart(9)} | ${
        r.p99.toFixed(0).padStart(6)
      } | ${r.b99.toFixed(0).padStart(5)} | ${(r.p99 / r.b99).toFixed(2).padStart(9)} |`,
    );
  }
  console.log(
    "\nWhere the time goes: the service's stages (p50 ms from the key release, its turn_metrics) and CPU ms per turn (recording included):",
  );
  console.log(
    "| sessions | final transcript | first LLM token | first TTS audio | CPU core | CPU stt | CPU tts |",
  );
  console.log(
    "| -------- | ---------------- | --------------- | --------------- | -------- | ------- | ------- |",
  );
  for (const r of table) {
    const c = cpuPerTurn[r.n] ?? {};
    const cells = [
      ...r.stages.map((v, i) => v.toFixed(0).padStart([16, 15, 15][i])),
      ...[c.core, c.stt, c.tts].map((v, i) => (v ?? NaN).toFixed(1).padStart([8, 7, 7][i])),
    ];
    console.log(`| ${String(r.n).padStart(8)} | ${cells.join(" | ")} |`);
  }
  await summarize(table.flatMap((r) => [
    {
      bench: "sessions",
      figure: `${r.n} sessions at once: key release -> first sample, p50 / CPU bound (x)`,
      value: (r.p50 / r.b50).toFixed(2),
      goal: "<= 1.5",
    },
    {
      bench: "sessions",
      figure: `${r.n} sessions at once: key release -> first sample, p99 / CPU bound (x)`,
      value: (r.p99 / r.b99).toFixed(2),
      goal: "<= 1.5",
    },
    ...(r.n === 32
      ? [{
        bench: "sessions",
        figure: "32 sessions at once: key release -> first sample, p50 (ms)",
        value: r.p50.toFixed(0),
        goal: "<= 2000",
      }]
      : []),
  ]));
} catch (error) {
  console.error(`bench/sessions failed: ${(error as Error).message}`);
  failed = true;
} finally {
  await server.stop().catch((e) => console.error(String(e)));
  await llm.close();
  await Deno.remove(dir, { recursive: true });
}
if (failed) Deno.exit(1);
