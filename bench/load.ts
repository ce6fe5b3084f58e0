/**
 * @module
 * Load: 32 WebSocket sessions talking in turns (speech streamed in real time, replies streamed
 * back) plus dashboard clients (the /events stream and /status polling) against a real
 * `nobody serve` with its workers, for a while. Reports event latency, reply audio underruns,
 * the service's RSS and CPU, and the RSS slope (a leak shows as growth over time).
 *
 *   deno task bench:load [--seconds 180] [--sessions 32] [--dashboards 4]
 */
import { parseArgs } from "node:util";
import { AUTO_POOLS, startServer } from "../tests/helpers/server_process.ts";
import { startFakeLlm } from "../tests/helpers/fake_llm.ts";
import { summarize } from "./summary.ts";
import { serviceApi, speechFromService } from "./service_client.ts";

const RATE = 24_000;
const FRAME = RATE / 50; // 20 ms
const PHRASES = ["turn on the kitchen lights", "play some music", "what time is it"];
/** A client plays reply audio this far behind its first frame, like the dashboard's worklet. */
const JITTER_MS = 100;
const WARMUP_S = 10;
/** Longer than any turn's deadlines add up to with a fake model: a turn past it is stuck. */
const TURN_LIMIT_MS = 120_000;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "60" },
    sessions: { type: "string", default: "32" },
    dashboards: { type: "string", default: "4" },
  },
});
const seconds = Number(values.seconds);
const sessions = Number(values.sessions);
const dashboards = Number(values.dashboards);

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p / 100))];
};

interface Sample {
  t: number;
  rssMb: number;
  heapMb: number;
  workersRssMb: number;
  cpuS: number;
  workersCpuS: number;
}

function procStats(pid: number): { rssMb: number; cpuS: number } {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    return { rssMb: rssKb / 1024, cpuS: ticks / 100 };
  } catch {
    return { rssMb: 0, cpuS: 0 };
  }
}

function slopePerMinute(points: { t: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : num / den * 60;
}

const dir = await Deno.makeTempDir({ prefix: "nobody-load-" });
const llm = startFakeLlm();
llm.reply({ text: "Sure. The lights are on now.", tokenDelayMs: 5 });
const server = await startServer(dir, [], {
  NOBODY_WORKERS: "true",
  NOBODY_LOG_LEVEL: "warn",
  ...AUTO_POOLS,
});
const headers = { authorization: `Bearer ${server.token}`, "content-type": "application/json" };
const api = serviceApi(server);
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
let failed = false;

try {
  // Workers ready: the speech is made by the TTS worker itself.
  const speech = await speechFromService(api, PHRASES[0], { attempts: 60 });
  const persona = await (await api("/personas", "POST", {
    name: "Load",
    llm: { provider: "ollama", model: "m", baseUrl: llm.url },
  })).json();

  const latencies = { transcript: [] as number[], token: [] as number[], audio: [] as number[] };
  let turns = 0, errors = 0, underruns = 0, replyFrames = 0, dashboardEvents = 0, stuck = 0;
  const errorTexts = new Set<string>();
  const started = performance.now();
  const endAt = started + seconds * 1000;

  const client = async (index: number) => {
    const session = await (await api("/sessions", "POST", {
      persona_id: persona.id,
      audio: "socket",
      sample_rate: RATE,
      phrases: PHRASES,
    })).json();
    const ws = new WebSocket(
      `${server.url.replace("http", "ws")}/ws/session/${session.id}?token=${server.token}`,
    );
    ws.binaryType = "arraybuffer";
    let onEvent: (m: Record<string, unknown> | null, at: number) => void = () => {};
    ws.onmessage = (e) => {
      const at = performance.now();
      onEvent(typeof e.data === "string" ? JSON.parse(e.data) : null, at);
      if (typeof e.data !== "string") {
        replyFrames++;
        audioIn(e.data.byteLength / 4, at);
      }
    };
    let audioIn = (_n: number, _at: number) => {};
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    ws.send(JSON.stringify({ type: "hello", sample_rate: RATE }));
    await delay(index * 97 % 1000); // spread the starts
    while (performance.now() < endAt) {
      ws.send(JSON.stringify({ type: "start_recording" }));
      // The person speaks: 20 ms frames in real time, drift-corrected.
      const t0 = performance.now();
      for (let i = 0, k = 0; i < speech.length; i += FRAME, k++) {
        ws.send(speech.slice(i, i + FRAME));
        const due = t0 + (k + 1) * 20;
        const wait = due - performance.now();
        if (wait > 0) await delay(wait);
      }
      const released = performance.now();
      ws.send(JSON.stringify({ type: "stop_recording" }));
      const marks: Record<string, number> = {};
      let playStart = 0, queued = 0;
      audioIn = (n, at) => {
        if (!playStart) playStart = at + JITTER_MS;
        // The frame is late if the playhead passed the point where it starts.
        if (at > playStart + queued / RATE * 1000) {
          underruns++;
          playStart = at - queued / RATE * 1000; // playback resumes from here
        }
        queued += n;
      };
      // A turn ends within its own deadlines (30 s for a transcript, then the reply's); past this
      // bound, or with the socket gone, it is stuck: counted, and this session stops, so the
      // benchmark fails instead of hanging.
      const ended = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), TURN_LIMIT_MS);
        ws.onclose = () => {
          clearTimeout(timer);
          resolve(false);
        };
        onEvent = (m, at) => {
          if (m === null) {
            marks.audio ??= at;
            return;
          }
          if (m.type === "transcription" && m.is_final) marks.transcript ??= at;
          if (m.type === "llm_response") marks.token ??= at;
          if (m.type === "error") {
            errors++;
            errorTexts.add(String(m.message));
          }
          if (m.type === "state" && m.state === "idle") {
            clearTimeout(timer);
            resolve(true);
          }
        };
      });
      onEvent = () => {};
      audioIn = () => {};
      if (!ended) {
        stuck++;
        break;
      }
      if ((released - started) / 1000 > WARMUP_S) {
        turns++;
        if (marks.transcript) latencies.transcript.push(marks.transcript - released);
        if (marks.token) latencies.token.push(marks.token - released);
        if (marks.audio) latencies.audio.push(marks.audio - released);
      }
      await delay(300 + (index * 131) % 700); // think before the next turn
    }
    ws.close();
  };

  const dashboard = async () => {
    const controller = new AbortController();
    const events = fetch(`${server.url}/events`, { headers, signal: controller.signal }).then(
      async (r) => {
        for await (const chunk of r.body!) dashboardEvents += chunk.length > 0 ? 1 : 0;
      },
    ).catch(() => {});
    while (performance.now() < endAt) {
      await (await api("/status")).body?.cancel();
      await (await api("/voices")).body?.cancel();
      await delay(1000);
    }
    controller.abort();
    await events;
  };

  const samples: Sample[] = [];
  const sampler = (async () => {
    while (performance.now() < endAt) {
      const status = await (await api("/status")).json() as {
        workers: { pid: number | null }[];
        memory: { heap_used: number };
      };
      const core = procStats(server.child.pid);
      const workers = status.workers.flatMap((w) => w.pid ? [procStats(w.pid)] : []);
      samples.push({
        t: (performance.now() - started) / 1000,
        rssMb: core.rssMb,
        heapMb: status.memory.heap_used / 2 ** 20,
        workersRssMb: workers.reduce((s, w) => s + w.rssMb, 0),
        cpuS: core.cpuS,
        workersCpuS: workers.reduce((s, w) => s + w.cpuS, 0),
      });
      await delay(1000);
    }
  })();

  await Promise.all([
    ...Array.from({ length: sessions }, (_, i) => client(i)),
    ...Array.from({ length: dashboards }, dashboard),
    sampler,
  ]);

  const steady = samples.filter((s) => s.t >= WARMUP_S);
  const first = steady[0] ?? samples[0], last = steady.at(-1) ?? samples.at(-1)!;
  const span = last.t - first.t || 1;
  const late = steady.slice(Math.floor(steady.length / 2));
  const slope = (points: Sample[], y: (s: Sample) => number) =>
    slopePerMinute(points.map((s) => ({ t: s.t, y: y(s) }))).toFixed(2);
  // The heap in use includes garbage until V8 collects it: the lowest figure of each 15 s window
  // follows what is live.
  const windowMinima = (points: Sample[], y: (s: Sample) => number) => {
    const windows = new Map<number, Sample>();
    for (const p of points) {
      const key = Math.floor(p.t / 15);
      const best = windows.get(key);
      if (!best || y(p) < y(best)) windows.set(key, p);
    }
    return [...windows.values()];
  };
  const rows = [
    {
      figure: `turns completed by ${sessions} sessions in ${seconds - WARMUP_S} s`,
      value: String(turns),
      goal: "report",
    },
    { figure: "error events", value: String(errors), goal: "<= 0" },
    {
      figure: `stuck turns (no end within ${TURN_LIMIT_MS / 1000} s, or the socket closed)`,
      value: String(stuck),
      goal: "<= 0",
    },
    {
      figure: "key release -> final transcript (ms), p50 / p99",
      value: `${pct(latencies.transcript, 50).toFixed(0)} / ${
        pct(latencies.transcript, 99).toFixed(0)
      }`,
      goal: "report",
    },
    {
      figure: "key release -> first reply token (ms), p50 / p99",
      value: `${pct(latencies.token, 50).toFixed(0)} / ${pct(latencies.token, 99).toFixed(0)}`,
      goal: "report",
    },
    {
      figure: "key release -> first reply audio (ms), p50 / p99",
      value: `${pct(latencies.audio, 50).toFixed(0)} / ${pct(latencies.audio, 99).toFixed(0)}`,
      goal: "report",
    },
    {
      figure: `reply audio underruns (${JITTER_MS} ms client buffer) per turn`,
      value: turns ? (underruns / turns).toFixed(2) : "n/a",
      goal: "report",
    },
    {
      figure: "core RSS at start / end of steady state (MB)",
      value: `${first.rssMb.toFixed(0)} / ${last.rssMb.toFixed(0)}`,
      goal: "report",
    },
    {
      figure: "core JS heap in use at start / end (MB)",
      value: `${first.heapMb.toFixed(0)} / ${last.heapMb.toFixed(0)}`,
      goal: "report",
    },
    // Over the second half: caches and pools fill up early; a leak keeps growing.
    {
      figure: "core RSS slope, second half (MB/min, leak check)",
      value: slope(late, (s) => s.rssMb),
      goal: "<= 2",
    },
    {
      figure: "core live JS heap slope, second half (MB/min, leak check)",
      value: slope(windowMinima(late, (s) => s.heapMb), (s) => s.heapMb),
      goal: "<= 1",
    },
    {
      figure: "workers RSS slope, second half (MB/min, leak check)",
      value: slope(late, (s) => s.workersRssMb),
      goal: "<= 2",
    },
    {
      figure: "core CPU (% of one core)",
      value: ((last.cpuS - first.cpuS) / span * 100).toFixed(0),
      goal: "report",
    },
    {
      figure: "workers CPU (% of one core)",
      value: ((last.workersCpuS - first.workersCpuS) / span * 100).toFixed(0),
      goal: "report",
    },
    { figure: "dashboard /events chunks received", value: String(dashboardEvents), goal: "report" },
  ];
  const w = Math.max(...rows.map((r) => r.figure.length));
  const v = Math.max(...rows.map((r) => r.value.length));
  console.log(`| ${"figure".padEnd(w)} | ${"value".padStart(v)} | goal |`);
  console.log(`| ${"-".repeat(w)} | ${"-".repeat(v)} | ---- |`);
  for (const r of rows) {
    console.log(`| ${r.figure.padEnd(w)} | ${r.value.padStart(v)} | ${r.goal} |`);
  }
  if (errorTexts.size > 0) console.log(`errors: ${[...errorTexts].join("; ")}`);
  await summarize(rows.map((r) => ({ bench: "load", ...r })));
  if (stuck > 0) {
    console.error(`${stuck} turns never ended: the service is stuck (see the server's stderr)`);
    failed = true;
  }
} finally {
  await server.stop().catch((e) => console.error(String(e)));
  await llm.close();
  await Deno.remove(dir, { recursive: true });
}
if (failed) Deno.exit(1);
