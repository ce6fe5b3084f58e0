/**
 * @module
 * Text-to-speech as the application sees it: audio chunks stream back while text is synthesized.
 */

export interface AudioChunk {
  readonly samples: Float32Array;
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
