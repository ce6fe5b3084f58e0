/**
 * @module
 * Headless sound devices for tests: an ALSA configuration whose default capture device reads raw
 * S16_LE mono 48 kHz from a file and whose default playback device writes a WAV. The clocked
 * variant paces both with a real-time clock plugin, so PortAudio behaves as with a sound card.
 */
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL("./alsa/", import.meta.url));

/** Builds the clock plugin once per source version; concurrent builders rename atomically. */
export async function clockPlugin(): Promise<string> {
  // -DPIC makes the ALSA headers define the plugin version symbol instead of referencing snd_dlsym_start.
  const source = await Deno.readFile(`${HERE}pcm_clock.c`);
  const flags = ["-O2", "-shared", "-fPIC", "-DPIC"];
  const digest = new Uint8Array(
    await crypto.subtle.digest(
      "SHA-256",
      new Uint8Array([...source, ...new TextEncoder().encode(flags.join(" "))]),
    ),
  );
  const tag = Array.from(digest.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
  const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/nobody-alsa-clock-${tag}`;
  const lib = `${dir}/libasound_module_pcm_clock.so`;
  try {
    await Deno.stat(lib);
    return lib;
  } catch {
    // not built yet
  }
  await Deno.mkdir(dir, { recursive: true });
  const temp = `${lib}.${crypto.randomUUID()}`;
  const { code, stderr } = await new Deno.Command("gcc", {
    args: [...flags, "-o", temp, `${HERE}pcm_clock.c`, "-lasound"],
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(
      `building the ALSA clock plugin failed (needs gcc and libasound2-dev):\n${
        new TextDecoder().decode(stderr)
      }`,
    );
  }
  await Deno.rename(temp, lib);
  return lib;
}

export interface HeadlessAudio {
  /** Environment that points ALSA (and so PortAudio) at the virtual devices. */
  readonly env: Record<string, string>;
  readonly micFile: string;
  readonly speakerFile: string;
}

/** Writes an ALSA config into `dir`; the microphone plays `micFile`, the speaker records to `speakerFile`. */
export async function headlessAudio(
  dir: string,
  options: { clocked: boolean },
): Promise<HeadlessAudio> {
  const config = `${dir}/asound.conf`;
  const text = options.clocked
    ? (await Deno.readTextFile(`${HERE}asound-clocked.conf.in`)).replace(
      "@CLOCK_LIB@",
      await clockPlugin(),
    )
    : await Deno.readTextFile(`${HERE}asound.conf`);
  await Deno.writeTextFile(config, text);
  const micFile = `${dir}/mic.raw`;
  const speakerFile = `${dir}/speaker.wav`;
  // The capture device opens its file at probe time; an empty one is a silent microphone.
  await Deno.writeFile(micFile, new Uint8Array(0));
  return {
    env: {
      ALSA_CONFIG_PATH: config,
      VMIC_FILE: micFile,
      VSPK_FILE: speakerFile,
      JACK_NO_START_SERVER: "1",
    },
    micFile,
    speakerFile,
  };
}

/**
 * Applies the environment to this process (PortAudio reads it when it opens a device); returns
 * the function that restores it. The environment is process-wide: every test file and every child
 * process would otherwise inherit an ALSA config pointing at a deleted folder.
 */
export function useInProcess(audio: HeadlessAudio): () => void {
  const before = Object.keys(audio.env).map((key) => [key, Deno.env.get(key)] as const);
  for (const [key, value] of Object.entries(audio.env)) Deno.env.set(key, value);
  return () => {
    for (const [key, value] of before) {
      if (value === undefined) Deno.env.delete(key);
      else Deno.env.set(key, value);
    }
  };
}

/** Float samples to raw S16_LE, the microphone file's format. */
export function toS16(samples: Float32Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) {
    view.setInt16(i * 2, Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768))), true);
  }
  return bytes;
}

/**
 * A test signal every sample of which is exactly representable in 16 bits, with a distinct onset:
 * `silenceMs` of zeros, then a tone whose amplitude ramps so that no two periods are alike.
 */
export function testTone(
  options: { sampleRate: number; ms: number; silenceMs?: number; hz?: number },
): Float32Array {
  const total = Math.round(options.ms * options.sampleRate / 1000);
  const silence = Math.round((options.silenceMs ?? 0) * options.sampleRate / 1000);
  const out = new Float32Array(total);
  const hz = options.hz ?? 440;
  for (let i = silence; i < total; i++) {
    const t = (i - silence) / options.sampleRate;
    const amplitude = 0.2 + 0.6 * ((i - silence) / (total - silence));
    out[i] = Math.round(Math.sin(2 * Math.PI * hz * t) * amplitude * 32768) / 32768;
  }
  return out;
}

/** Index of the first sample whose magnitude exceeds `threshold`, or -1. */
export function onset(samples: Float32Array, threshold = 1e-4): number {
  return samples.findIndex((s) => Math.abs(s) > threshold);
}

/** Largest absolute difference between `expected` and `actual` aligned at their onsets. */
export function maxErrorAligned(
  expected: Float32Array,
  actual: Float32Array,
): { error: number; compared: number } {
  const a = onset(expected);
  const b = onset(actual);
  if (a < 0 || b < 0) return { error: Infinity, compared: 0 };
  const n = Math.min(expected.length - a, actual.length - b);
  let error = 0;
  for (let i = 0; i < n; i++) error = Math.max(error, Math.abs(expected[a + i] - actual[b + i]));
  return { error, compared: n };
}
