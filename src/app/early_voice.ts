/**
 * @module
 * A reply's text-to-speech stream, opened when the turn starts rather than when its transcript
 * is in. Whatever the engine prepares for a stream's first sentence (espeak-ng loads its voice
 * and dictionary, 6.5 of the 6.7 ms it spends on "Sure.") is then done while the person speaks,
 * not between the model's first sentence and its first sound.
 */
import type { TtsEngine, TtsStream } from "../ports/tts_engine.ts";

export interface EarlyVoiceOptions {
  readonly voiceId: string | null;
  readonly sampleRate: number;
  /** The turn's: stopping the turn closes the stream. */
  readonly signal: AbortSignal;
}

export class EarlyVoice {
  #stream: TtsStream | null;
  readonly #voiceId: string | null;
  readonly #sampleRate: number;

  constructor(tts: TtsEngine, options: EarlyVoiceOptions) {
    this.#voiceId = options.voiceId;
    this.#sampleRate = options.sampleRate;
    this.#stream = tts.stream(options);
  }

  /**
   * The stream, when it was opened for this voice and rate (a set_voice while recording changes
   * them); otherwise it is closed. Handed out once: from then on its user ends it.
   */
  take(voiceId: string | null, sampleRate: number): TtsStream | undefined {
    const stream = this.#stream;
    this.#stream = null;
    if (stream && voiceId === this.#voiceId && sampleRate === this.#sampleRate) return stream;
    stream?.close();
    return undefined;
  }

  /** A turn that ends without a reply (no speech, dictation, a failure) closes it unused. */
  close(): void {
    this.#stream?.close();
    this.#stream = null;
  }
}
