/**
 * @module
 * Resources at rest: a real `nobody serve` with its workers, idle. For the core and each worker
 * process, wakeups per second (voluntary context switches of all its threads), CPU and RSS, while
 * the engines are loaded and after the keep-alive has unloaded them; then how long the first
 * request after the unload takes (the engines load again) next to the same request warm.
 *
 *   deno task bench:idle [--keep-alive-ms 20000] [--window-s 15]
 */
import { parseArgs } from "node:util";
import { startServer } from "../tests/helpers/server_process.ts";
import { summarize } from "./summary.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    "keep-alive-ms": { type: "string", default: "20000" },
    "window-s": { type: "string", default: "15" },
  },
});
const KEEP_ALIVE_MS = Number(args["keep-alive-ms"]);
const WINDOW_S = Number(args["window-s"]);

interface Sample {
  /** Voluntary context switches per thread: a thread that sleeps and wakes counts one each time. */
  wakeups: Map<string, number>;
  cpuMs: number;
  rssMb: number;
}

function sample(pid: number): Sample | null {
  try {
    const wakeups = new Map<string, number>();
    for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
      try {
        const status = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/status`);
        wakeups.set(task.name, Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      } catch {
        // the thread ended
      }
    }
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return {
      wakeups,
      cpuMs: (Number(fields[11]) + Number(fields[12])) * 10,
      rssMb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024,
    };
  } catch {
    return null; // it went away
  }
}

/** Wakeups between two samples: threads in the second, less what they had in the first. */
function wakeupsBetween(a: Sample, b: Sample): number {
  let n = 0;
  for (const [task, count] of b.wakeups) n += count - (a.wakeups.get(task) ?? 0);
  return n;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = await Deno.makeTempDir({ prefix: "nobody-idle-" });
const server = await startServer(dir, [], {
  NOBODY_WORKERS: "true",
  NOBODY_LOG_LEVEL: "warn",
  NOBODY_STT_PROCESSES: "0",
  NOBODY_TTS_PROCESSES: "0",
  NOBODY_KEEP_ALIVE_MS: String(KEEP_ALIVE_MS),
});
const headers = { authorization: `Bearer ${server.token}` };
const status = async () => await (await fetch(`${server.url}/status`, { headers })).json();
/** Wall time of one speech request to its last byte, and of a transcription of that speech. */
const oneRequest = async (): Promise<{ speechMs: number; transcribeMs: number }> => {
  const t0 = performance.now();
  const speech = await fetch(`${server.url}/v1/audio/speech`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({
      model: "m",
      voice: "alloy",
      input: "Hello there.",
      response_format: "wav",
    }),
  });
  if (!speech.ok) throw new Error(`speech: ${speech.status} ${await speech.text()}`);
  const wav = await speech.arrayBuffer();
  const t1 = performance.now();
  const form = new FormData();
  form.append("model", "m");
  form.append("file", new Blob([wav]), "hello.wav");
  const heard = await fetch(`${server.url}/v1/audio/transcriptions`, {
    method: "POST",
    headers,
    body: form,
  });
  if (!heard.ok) throw new Error(`transcription: ${heard.status} ${await heard.text()}`);
  await heard.body?.cancel();
  return { speechMs: t1 - t0, transcribeMs: performance.now() - t1 };
};

/** Each process's wakeups/s, CPU % and RSS over the window. */
async function idleWindow(label: string) {
  const workers = (await status()).workers as {
    name: string;
    member: number;
    pid: number | null;
  }[];
  const processes = [
    { name: "core", pid: server.child.pid },
    ...workers.flatMap((w) => w.pid ? [{ name: `${w.name} ${w.member + 1}`, pid: w.pid }] : []),
  ];
  const before = processes.map((p) => sample(p.pid));
  await delay(WINDOW_S * 1000);
  const after = processes.map((p) => sample(p.pid));
  return processes.map((p, i) => {
    const a = before[i], b = after[i];
    return {
      label,
      process: p.name,
      wakeups: a && b ? wakeupsBetween(a, b) / WINDOW_S : NaN,
      cpu: a && b ? (b.cpuMs - a.cpuMs) / (WINDOW_S * 10) : NaN,
      rss: b?.rssMb ?? NaN,
    };
  });
}

let failed = false;
try {
  const deadline = Date.now() + 120_000;
  while (!(await status()).workers.every((w: { state: string }) => w.state === "ready")) {
    if (Date.now() > deadline) throw new Error("the workers never got ready");
    await delay(200);
  }
  await oneRequest(); // each engine has served once
  const warm = await oneRequest();
  const loaded = await idleWindow("loaded, idle");
  const unloadBy = Date.now() + KEEP_ALIVE_MS + 30_000;
  while (!(await status()).workers.every((w: { state: string }) => w.state === "unloaded")) {
    if (Date.now() > unloadBy) {
      throw new Error("the engines were not unloaded after the keep-alive");
    }
    await delay(500);
  }
  const unloaded = await idleWindow("unloaded");
  const cold = await oneRequest();

  const rows = [...loaded, ...unloaded];
  console.log(`keep-alive ${KEEP_ALIVE_MS} ms; ${WINDOW_S} s windows`);
  console.log("| state        | process   | wakeups/s | CPU % | RSS MB |");
  console.log("| ------------ | --------- | --------- | ----- | ------ |");
  for (const r of rows) {
    console.log(
      `| ${r.label.padEnd(12)} | ${r.process.padEnd(9)} | ${r.wakeups.toFixed(1).padStart(9)} | ${
        r.cpu.toFixed(2).padStart(5)
      } | ${r.rss.toFixed(0).padStart(6)} |`,
    );
  }
  const total = (label: string, key: "wakeups" | "cpu" | "rss") =>
    rows.filter((r) => r.label === label).reduce((s, r) => s + r[key], 0);
  console.log("\n| request after the unload (the engines load again) | warm ms | cold ms |");
  console.log("| ------------------------------------------------- | ------- | ------- |");
  console.log(
    `| /v1/audio/speech, "Hello there." to the last byte   | ${
      warm.speechMs.toFixed(0).padStart(7)
    } | ${cold.speechMs.toFixed(0).padStart(7)} |`,
  );
  console.log(
    `| /v1/audio/transcriptions of that speech            | ${
      warm.transcribeMs.toFixed(0).padStart(7)
    } | ${cold.transcribeMs.toFixed(0).padStart(7)} |`,
  );
  await summarize([
    {
      bench: "idle",
      figure: "loaded and idle: wakeups/s, all processes",
      value: total("loaded, idle", "wakeups").toFixed(1),
      goal: "report",
    },
    {
      bench: "idle",
      figure: "loaded and idle: CPU % of one core, all processes",
      value: total("loaded, idle", "cpu").toFixed(2),
      goal: "report",
    },
    {
      bench: "idle",
      figure: "loaded and idle: RSS MB, all processes",
      value: total("loaded, idle", "rss").toFixed(0),
      goal: "report",
    },
    {
      bench: "idle",
      figure: "unloaded: wakeups/s, all processes",
      value: total("unloaded", "wakeups").toFixed(1),
      goal: "<= 2",
    },
    {
      bench: "idle",
      figure: "unloaded: CPU % of one core, all processes",
      value: total("unloaded", "cpu").toFixed(2),
      goal: "<= 0.1",
    },
    {
      bench: "idle",
      figure: "unloaded: RSS MB, all processes",
      value: total("unloaded", "rss").toFixed(0),
      goal: "report",
    },
    {
      bench: "idle",
      figure: "first speech request after the unload (ms, engines reload)",
      value: cold.speechMs.toFixed(0),
      goal: "report",
    },
    {
      bench: "idle",
      figure: "first transcription after the unload (ms, engines reload)",
      value: cold.transcribeMs.toFixed(0),
      goal: "report",
    },
  ]);
} catch (error) {
  console.error(`bench/idle failed: ${(error as Error).message}`);
  failed = true;
} finally {
  await server.stop().catch((e) => console.error(String(e)));
  await Deno.remove(dir, { recursive: true });
}
if (failed) Deno.exit(1);
