/**
 * @module
 * Compressed audio for clients that ask for it (ffmpeg in production), encoded as it streams.
 */

export type EncodedFormat = "mp3" | "flac" | "opus" | "aac";

export interface AudioEncoder {
  /** False when nothing on this machine encodes (ffmpeg missing); looked up once. */
  available(): Promise<boolean>;
  /** 16-bit mono PCM in, the encoded stream out; stops when `signal` aborts. */
  encode(
    pcm: AsyncIterable<Uint8Array>,
    options: { format: EncodedFormat; sampleRate: number; signal?: AbortSignal },
  ): ReadableStream<Uint8Array>;
}
