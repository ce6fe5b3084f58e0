/**
 * @module
 * Measurements with Praat (Debian `praat`, run as a subprocess), a tool the trainer does not use,
 * so a clone is never graded by the estimator that fitted it. Pitch is tracked in two passes (the
 * second between 0.75 x the first quartile and 1.5 x the third, after Hirst), and speaking time is
 * what Praat's silence detector calls sounding (-25 dB below the peak, pauses of 0.1 s or more).
 */
import { fileURLToPath } from "node:url";
import { encodeWav16 } from "../../src/audio/wav.ts";

const SCRIPT = fileURLToPath(new URL("./praat/voice.praat", import.meta.url));
const RATE = 16_000;

export interface VoiceMeasure {
  readonly medianF0: number;
  /** Half the 16th-84th percentile distance of F0, in cents. */
  readonly spreadCents: number;
  readonly soundingSeconds: number;
  readonly voicedFrames: number;
}

export async function praatVoice(path: string, signal?: AbortSignal): Promise<VoiceMeasure> {
  const out = await new Deno.Command("praat", {
    args: ["--run", SCRIPT, path],
    stdout: "piped",
    stderr: "piped",
    signal: signal ?? AbortSignal.timeout(120_000),
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0 || !text.startsWith("{")) {
    throw new Error(`praat failed on ${path}: ${new TextDecoder().decode(out.stderr)}${text}`);
  }
  const m = JSON.parse(text);
  return {
    medianF0: m.median_f0,
    spreadCents: 600 * Math.log2(m.p84 / m.p16),
    soundingSeconds: m.sounding,
    voicedFrames: m.voiced_frames,
  };
}

/** Decodes any file ffmpeg reads to 16 kHz mono samples. */
export async function decode16k(path: string, signal?: AbortSignal): Promise<Float32Array> {
  const out = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-i", path, "-ac", "1", "-ar", String(RATE), "-f", "f32le", "-"],
    stdout: "piped",
    stderr: "piped",
    signal: signal ?? AbortSignal.timeout(120_000),
  }).output();
  if (out.code !== 0) throw new Error(`ffmpeg could not decode ${path}`);
  return new Float32Array(out.stdout.buffer, out.stdout.byteOffset, out.stdout.byteLength / 4);
}

/** Joins clips into one 16 kHz WAV with 0.3 s of silence between them, for one Praat pass. */
export async function joinClips(paths: readonly string[], out: string, signal?: AbortSignal) {
  const parts = await Promise.all(paths.map((p) => decode16k(p, signal)));
  const gap = RATE * 0.3;
  const total = parts.reduce((n, p) => n + p.length + gap, 0);
  const joined = new Float32Array(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length + gap;
  }
  await Deno.writeFile(out, encodeWav16(joined, RATE));
  return out;
}
