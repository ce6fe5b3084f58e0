/**
 * @module
 * A whole recording through the streaming speech-to-text port, for sample transcripts.
 */
import type { SttEngine } from "../ports/stt_engine.ts";

/** 100 ms pushes keep each gRPC message small without costing round trips. */
const CHUNK_MS = 100;

export async function transcribe(
  stt: SttEngine,
  audio: { samples: Float32Array; sampleRate: number },
  options: { signal?: AbortSignal; language?: string } = {},
): Promise<string> {
  const stream = stt.stream({
    sampleRate: audio.sampleRate,
    language: options.language,
    signal: options.signal,
    wholeRecording: true,
  });
  try {
    const step = Math.round(audio.sampleRate * CHUNK_MS / 1000);
    for (let i = 0; i < audio.samples.length; i += step) {
      stream.pushAudio(audio.samples.subarray(i, i + step));
    }
    stream.endInput();
    let text = "";
    for await (const event of stream.events) {
      if (event.type === "final") text = event.text;
    }
    return text;
  } finally {
    stream.close();
  }
}
