/**
 * @module
 * Browser recordings as 16-bit mono WAV, the format every part of nobody reads (the encoder is
 * the service's own).
 */
import { encodeWav16 } from "../../../src/audio/wav.ts";

export function encodeWav(blocks: readonly Float32Array[], sampleRate: number): Blob {
  const samples = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const block of blocks) {
    samples.set(block, at);
    at += block.length;
  }
  return new Blob([encodeWav16(samples, sampleRate) as Uint8Array<ArrayBuffer>], {
    type: "audio/wav",
  });
}
