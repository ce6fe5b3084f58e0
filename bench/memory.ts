/**
 * @module
 * `deno task bench:memory`: peak memory against input size, measured by the kernel, not by the
 * code under test.
 *
 * - Trainer: a fresh worker process analyzes a recording of 1, 5 and 30 minutes (48 kHz stereo
 *   WAV, real speech repeated) with the same `analyze_file` the Analyze RPC runs; its peak RSS
 *   (`ru_maxrss`) must stay flat.
 * - Upload: a real `nobody serve` takes uploads of 10, 50 and 190 MiB; its peak RSS (VmHWM, reset
 *   before each upload through /proc/PID/clear_refs) must not grow with the size.
 */
import { fileURLToPath } from "node:url";
import { SPEECH_CLIPS } from "../tests/helpers/fixtures.ts";
import { startServer } from "../tests/helpers/server_process.ts";
import { summarize } from "./summary.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PYTHON = Deno.env.get("NOBODY_PYTHON") ?? "/usr/bin/python3";
const PYTHONPATH = ["common", "trainer", "tts", "stt"].map((w) => `${ROOT}workers/${w}/src`).join(
  ":",
);
/** A hung step is a failure: each one gets this long. */
const STEP_TIMEOUT_MS = 300_000;

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

/** A WAV of `minutes` of real speech at 48 kHz stereo. */
async function recording(dir: string, minutes: number): Promise<string> {
  const clip = `${dir}/clip.wav`;
  await run("sox", [...SPEECH_CLIPS, "-r", "48000", "-c", "2", clip]);
  const seconds = Number((await run("soxi", ["-D", clip])).trim());
  const path = `${dir}/${minutes}min.wav`;
  await run("sox", [clip, path, "repeat", String(Math.ceil(minutes * 60 / seconds) - 1)]);
  await run("sox", [path, `${path}.cut.wav`, "trim", "0", String(minutes * 60)]);
  await Deno.rename(`${path}.cut.wav`, path);
  await Deno.remove(clip);
  return path;
}

const ANALYZE = `
import resource, sys, time
from pathlib import Path
from nobody_trainer.analysis import analyze_file
start = time.monotonic()
stream, report = analyze_file(Path(sys.argv[1]), "wav", Path(sys.argv[2]), 22050)
print(report.duration_ms, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.monotonic() - start)
`;

async function trainerPeaks(dir: string): Promise<string[][]> {
  const rows: string[][] = [];
  for (const minutes of [1, 5, 30]) {
    const input = await recording(dir, minutes);
    const size = (await Deno.stat(input)).size;
    const [durationMs, maxKb, seconds] =
      (await run(PYTHON, ["-c", ANALYZE, input, `${dir}/n.wav`], {
        PYTHONPATH,
      })).trim().split(" ").map(Number);
    rows.push([
      `${minutes} min`,
      `${(size / 2 ** 20).toFixed(0)} MiB`,
      `${(durationMs / 60_000).toFixed(1)} min`,
      (maxKb / 1024).toFixed(0),
      seconds.toFixed(1),
    ]);
    await Deno.remove(input);
    await Deno.remove(`${dir}/n.wav`);
  }
  return rows;
}

function peakRssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** A WAV file of about `mib` MiB (16-bit mono 48 kHz noise, written in blocks). */
async function wavOf(path: string, mib: number): Promise<void> {
  const dataBytes = mib * 2 ** 20;
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const header = new DataView(new ArrayBuffer(44));
  const text = (at: number, s: string) =>
    [...s].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF");
  header.setUint32(4, 36 + dataBytes, true);
  text(8, "WAVEfmt ");
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true);
  header.setUint16(22, 1, true);
  header.setUint32(24, 48_000, true);
  header.setUint32(28, 96_000, true);
  header.setUint16(32, 2, true);
  header.setUint16(34, 16, true);
  text(36, "data");
  header.setUint32(40, dataBytes, true);
  await file.write(new Uint8Array(header.buffer));
  const block = crypto.getRandomValues(new Uint8Array(1 << 16));
  for (let written = 0; written < dataBytes; written += block.length) await file.write(block);
  file.close();
}

async function uploadPeaks(dir: string): Promise<string[][]> {
  const server = await startServer(`${dir}/data`);
  const rows: string[][] = [];
  try {
    const headers = { authorization: `Bearer ${server.token}` };
    const voice = await (await fetch(`${server.url}/voices`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ name: "Memory" }),
    })).json();
    const pid = server.child.pid;
    for (const mib of [10, 50, 190]) {
      const path = `${dir}/${mib}.wav`;
      await wavOf(path, mib);
      Deno.writeTextFileSync(`/proc/${pid}/clear_refs`, "5"); // VmHWM := current RSS
      const reset = peakRssMb(pid);
      const form = new FormData();
      form.append("file", new File([Deno.readFileSync(path)], `${mib}.wav`));
      const response = await fetch(`${server.url}/voices/${voice.id}/samples`, {
        method: "POST",
        headers,
        body: form,
        signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
      });
      if (response.status !== 201) {
        throw new Error(`upload: ${response.status} ${await response.text()}`);
      }
      await response.body?.cancel();
      const peak = peakRssMb(pid);
      rows.push([
        `${mib} MiB`,
        reset.toFixed(0),
        peak.toFixed(0),
        (peak - reset).toFixed(0),
        ((peak - reset) / mib).toFixed(2),
      ]);
      await Deno.remove(path);
    }
  } finally {
    await server.stop();
  }
  return rows;
}

function table(head: string[], rows: string[][]): void {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((x, c) => x.padEnd(widths[c])).join(" | ")} |`;
  console.log(line(head));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "nobody-bench-memory-" });
  try {
    console.log("\n## Trainer: analysis peak memory against recording length\n");
    const trainer = await trainerPeaks(dir);
    table(["recording", "WAV size", "analyzed", "peak RSS (MB)", "time (s)"], trainer);
    console.log("\n## Core: upload peak memory against upload size\n");
    const uploads = await uploadPeaks(dir);
    table(["upload", "RSS before (MB)", "peak RSS (MB)", "growth (MB)", "growth per MiB"], uploads);
    const flat = Number(trainer[2][3]) - Number(trainer[0][3]);
    await summarize([
      ...trainer.map((r) => ({
        bench: "memory",
        figure: `trainer peak RSS, ${r[0]} recording (MB)`,
        value: r[3],
        goal: "<= 250",
      })),
      {
        bench: "memory",
        figure: "trainer peak RSS, 30 min minus 1 min (MB)",
        value: flat.toFixed(0),
        goal: "<= 20",
      },
      ...uploads.map((r) => ({
        bench: "memory",
        figure: `core peak RSS growth, ${r[0]} upload (MB)`,
        value: r[3],
        goal: "<= 64",
      })),
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
