/**
 * @module
 * Compressed speech for programs that ask for it (OpenAI clients default to MP3; FLAC, Opus and
 * AAC are their other choices): 16-bit PCM piped through an ffmpeg process as it is made, so the
 * first bytes leave before synthesis ends.
 */

import type { AudioEncoder, EncodedFormat } from "../../ports/audio_encoder.ts";

/** ffmpeg output options per format: Opus in Ogg and AAC in ADTS, as OpenAI sends them. */
const OUTPUT: Record<EncodedFormat, string[]> = {
  mp3: ["-f", "mp3", "-b:a", "64k"],
  flac: ["-f", "flac"],
  opus: ["-c:a", "libopus", "-b:a", "32k", "-f", "ogg"],
  aac: ["-c:a", "aac", "-b:a", "64k", "-f", "adts"],
};

/** Null when ffmpeg is not installed. */
export async function findFfmpeg(): Promise<string | null> {
  try {
    const { success } = await new Deno.Command("ffmpeg", { args: ["-version"], stdout: "null" })
      .output();
    return success ? "ffmpeg" : null;
  } catch {
    return null;
  }
}

export function encodedStream(
  ffmpeg: string,
  pcm: AsyncIterable<Uint8Array>,
  options: { format: EncodedFormat; sampleRate: number; signal?: AbortSignal },
): ReadableStream<Uint8Array> {
  const child = new Deno.Command(ffmpeg, {
    args: [
      ...["-v", "error", "-nostdin", "-f", "s16le", "-ar", String(options.sampleRate)],
      ...["-ac", "1", "-i", "pipe:0", ...OUTPUT[options.format], "pipe:1"],
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const stop = () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  (async () => {
    const writer = child.stdin.getWriter();
    try {
      for await (const chunk of pcm) await writer.write(chunk);
      await writer.close();
    } catch {
      stop();
    }
  })();
  child.status.finally(() => options.signal?.removeEventListener("abort", stop));
  return child.stdout;
}

/** The encoder port over ffmpeg, found on first use. */
export function ffmpegEncoder(): AudioEncoder {
  let found: Promise<string | null> | undefined;
  const binary = () => found ??= findFfmpeg();
  return {
    available: async () => (await binary()) !== null,
    encode: (pcm, options) => {
      const stream = new TransformStream<Uint8Array, Uint8Array>();
      binary().then((ffmpeg) => {
        if (ffmpeg === null) throw new Error("ffmpeg is not installed");
        return encodedStream(ffmpeg, pcm, options).pipeTo(stream.writable);
      }).catch((error) => stream.writable.abort(error).catch(() => {}));
      return stream.readable;
    },
  };
}
