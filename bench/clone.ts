/**
 * @module
 * Voice cloning with the real trainer worker: training time per minute of samples, and how close
 * the cloned espeak-ng voice comes to each reference speaker's median F0 (cents) and tempo.
 * Reference speakers: espeak-ng voices of very different pitch, and real human speech.
 *
 *   deno run -A bench/clone.ts
 */
import { summarize } from "./summary.ts";
import { createWorkers } from "../main.ts";
import { ConsoleLogger } from "../src/adapters/log/console_logger.ts";
import { encodeWav16 } from "../src/audio/wav.ts";
import { makeId } from "../src/domain/ids.ts";
import { loadConfig } from "../src/config/config.ts";

const TEXT =
  "Good morning. I would like to record a few sentences so that my voice can be measured. " +
  "The weather today is calm and the river runs slowly past the old mill, while children play by the water.";

async function espeakSpeaker(dir: string, name: string, args: string[]): Promise<string[]> {
  const path = `${dir}/${name}.wav`;
  const { code, stdout } = await new Deno.Command("espeak-ng", {
    args: ["--stdout", ...args, TEXT],
    stdout: "piped",
  }).output();
  if (code !== 0) throw new Error(`espeak-ng ${args.join(" ")} failed`);
  await Deno.writeFile(path, stdout);
  return [path];
}

function seconds(paths: string[]): number {
  return paths.reduce((sum, p) => {
    const bytes = Deno.readFileSync(p);
    const view = new DataView(bytes.buffer);
    return sum + (bytes.length - 44) / view.getUint32(28, true);
  }, 0);
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "nobody-clone-" });
  const config = loadConfig({
    os: Deno.build.os,
    env: { HOME: dir, NOBODY_DATA_DIR: dir },
    flags: {},
    readText: () => null,
  });
  const workers = await createWorkers(config, new ConsoleLogger({ level: "error" }));
  try {
    await workers.supervisor.acquire("trainer", { timeoutMs: 60_000 });
    const human = [...Deno.readDirSync("/usr/share/sounds/alsa")]
      .filter((e) => e.name.endsWith(".wav") && e.name !== "Noise.wav")
      .map((e) => `/usr/share/sounds/alsa/${e.name}`);
    // One minute of human speech: the alsa-utils clips, repeated.
    const minute = `${dir}/human-minute.wav`;
    const parts = human.map((p) => Deno.readFileSync(p).subarray(44));
    const pcm = new Uint8Array(48_000 * 2 * 60);
    for (let at = 0, i = 0; at < pcm.length; i++) {
      const part = parts[i % parts.length].subarray(0, pcm.length - at);
      pcm.set(part, at);
      at += part.length;
    }
    const samples = new Float32Array(pcm.length / 2);
    const view = new DataView(pcm.buffer);
    for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true) / 32768;
    await Deno.writeFile(minute, encodeWav16(samples, 48_000));

    const speakers: [string, string[]][] = [
      [
        "espeak low male (en-us, pitch 10)",
        await espeakSpeaker(dir, "low", ["-v", "en-us", "-p", "10", "-s", "150"]),
      ],
      [
        "espeak mid (en-us, pitch 60)",
        await espeakSpeaker(dir, "mid", ["-v", "en-us", "-p", "60", "-s", "175"]),
      ],
      [
        "espeak high female (en-us+f3, pitch 90)",
        await espeakSpeaker(dir, "high", ["-v", "en-us+f3", "-p", "90", "-s", "200"]),
      ],
      ["human speech (alsa-utils clips)", human],
      ["human speech, one minute", [minute]],
    ];
    const rows: string[][] = [];
    for (const [i, [name, paths]] of speakers.entries()) {
      const voiceId = makeId("voice", new Uint8Array(20).fill(i));
      const started = performance.now();
      let artifact = "";
      for await (
        const u of workers.trainer.train({
          jobId: makeId("job", new Uint8Array(20).fill(i)),
          voiceId,
          samplePaths: paths,
          outputDir: `${dir}/voices/${voiceId}`,
        })
      ) {
        if (u.artifactPath) artifact = u.artifactPath;
      }
      const elapsed = (performance.now() - started) / 1000;
      const profile = JSON.parse(await Deno.readTextFile(artifact));
      const cents = 1200 * Math.log2(profile.fitted_f0 / profile.measured.median_f0);
      const tempo = 100 *
        (profile.fitted_syllables_per_second / profile.measured.syllables_per_second - 1);
      const audio = seconds(paths);
      rows.push([
        name,
        `${audio.toFixed(1)} s`,
        `${elapsed.toFixed(1)} s`,
        `${(elapsed / (audio / 60)).toFixed(1)} s`,
        `${profile.measured.median_f0.toFixed(1)} Hz`,
        `${cents >= 0 ? "+" : ""}${cents.toFixed(0)}`,
        `${tempo >= 0 ? "+" : ""}${tempo.toFixed(0)} %`,
      ]);
    }
    const head = [
      "reference speaker",
      "samples",
      "training",
      "per minute of samples",
      "median F0",
      "F0 error, cents (goal within 50)",
      "tempo error",
    ];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    const line = (cells: string[]) => `| ${cells.map((x, c) => x.padEnd(widths[c])).join(" | ")} |`;
    console.log(line(head));
    console.log(line(widths.map((w) => "-".repeat(w))));
    for (const row of rows) console.log(line(row));
    await summarize(rows.flatMap((row) => [
      { bench: "clone", figure: `${row[0]}: F0 error (cents)`, value: row[5], goal: "within 50" },
      { bench: "clone", figure: `${row[0]}: tempo error (%)`, value: row[6], goal: "within 10" },
      {
        bench: "clone",
        figure: `${row[0]}: training time per minute of samples (s)`,
        value: row[3],
        goal: "<= 60",
      },
    ]));
  } finally {
    await workers.supervisor.stop();
    await Deno.remove(dir, { recursive: true });
  }
}
