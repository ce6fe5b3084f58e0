/**
 * @module
 * Text-to-speech as the application sees it: audio chunks stream back while text is synthesized.
 */

export interface AudioChunk {
  readonly samples: Float32Array;
  /** The same audio as 16-bit little-endian PCM, when asked for and the engine made it so. */
  readonly pcm16?: Uint8Array;
  readonly sampleRate: number;
  /** Which text piece of a stream this audio belongs to (0 for a single text). */
  readonly textIndex: number;
}

export interface SynthesisOptions {
  /** A trained nobody voice; the engine's default voice when absent. */
  readonly voiceId?: string | null;
  /** Output rate; the engine's native rate when absent. */
  readonly sampleRate?: number;
  readonly speed?: number;
  /**
   * Audio that will leave as 16-bit PCM: an engine that can send it so fills AudioChunk.pcm16,
   * half the bytes of float32 and no conversion on the way out.
   */
  readonly pcm16?: boolean;
  readonly signal?: AbortSignal;
}

export interface TtsStream {
  /** Adds text to the utterance (for example the next sentence from the LLM). */
  pushText(text: string): void;
  /** No more text: the audio ends once the last piece is spoken. */
  endInput(): void;
  readonly chunks: AsyncIterable<AudioChunk>;
  close(): void;
}

export interface TtsEngine {
  synthesize(text: string, options?: SynthesisOptions): AsyncIterable<AudioChunk>;
  stream(options?: SynthesisOptions): TtsStream;
}
