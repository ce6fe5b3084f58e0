/**
 * @module
 * Real audio fixtures: human speech shipped by alsa-utils, converted with sox where a test needs
 * another container.
 */

export const SPEECH_WAV = "/usr/share/sounds/alsa/Front_Center.wav";

/** Real human speech from alsa-utils: eight short clips, about 11 s together. */
export const SPEECH_CLIPS: readonly string[] = [...Deno.readDirSync("/usr/share/sounds/alsa")]
  .filter((e) => e.name.endsWith(".wav") && e.name !== "Noise.wav")
  .map((e) => `/usr/share/sounds/alsa/${e.name}`)
  .sort();
/** 68545 samples at 48 kHz, as soxi reports. */
export const SPEECH_FRAMES = 68_545;

/** Converts a file with sox (output options such as `-r 44100` go before `out`). */
/** Converts with ffmpeg (MP3, M4A, WebM, Ogg); the format follows the output's extension. */
export async function ffmpegConvert(
  input: string,
  out: string,
  ...outputOptions: string[]
): Promise<Uint8Array<ArrayBuffer>> {
  const { code, stderr } = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-y", "-i", input, ...outputOptions, out],
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`ffmpeg failed: ${new TextDecoder().decode(stderr)}`);
  return await Deno.readFile(out);
}

export async function soxConvert(
  input: string,
  out: string,
  ...outputOptions: string[]
): Promise<Uint8Array<ArrayBuffer>> {
  const { code, stderr } = await new Deno.Command("sox", {
    args: [input, ...outputOptions, out],
    stderr: "piped",
  })
    .output();
  if (code !== 0) throw new Error(`sox failed: ${new TextDecoder().decode(stderr)}`);
  return await Deno.readFile(out);
}

/**
 * The same recording with its last sample nudged by `n`: a different file to the service, which
 * refuses a second upload of identical bytes to one voice.
 */
export function distinctCopy(wav: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  const copy = wav.slice();
  copy[copy.length - 2] = (copy[copy.length - 2] + n + 1) & 0xff;
  return copy;
}
