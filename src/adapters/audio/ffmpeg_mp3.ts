/**
 * @module
 * MP3 for programs that ask for it (OpenAI clients default to it): 16-bit PCM piped through an
 * ffmpeg process as it is made, so the first bytes leave before synthesis ends.
 */

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

export function mp3Stream(
  ffmpeg: string,
  pcm: AsyncIterable<Uint8Array>,
  options: { sampleRate: number; signal?: AbortSignal },
): ReadableStream<Uint8Array> {
  const child = new Deno.Command(ffmpeg, {
    args: [
      ...["-v", "error", "-nostdin", "-f", "s16le", "-ar", String(options.sampleRate)],
      ...["-ac", "1", "-i", "pipe:0", "-f", "mp3", "-b:a", "64k", "pipe:1"],
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
