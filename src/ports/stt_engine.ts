/**
 * @module
 * Speech-to-text as the application sees it: a stream per utterance that takes audio frames and
 * yields partial and final results (modelled on livekit's SpeechStream).
 */

export type SttEvent =
  | { readonly type: "partial"; readonly text: string; readonly audioMs: number }
  | {
    readonly type: "final";
    readonly text: string;
    readonly audioMs: number;
    readonly endOfTurnProbability: number;
    /** What the engine learned of this speaker and microphone: pass it to the next turn. */
    readonly speakerState?: Uint8Array;
  };

export interface SttStreamOptions {
  /** Rate of the audio that will be pushed; the worker converts it to its engine's rate. */
  readonly sampleRate: number;
  readonly language?: string;
  /** Restricts recognition to these phrases (commands, tests). */
  readonly phrases?: readonly string[];
  /** A whole recording, not a live one: no partial results; the engine may decode it once. */
  readonly wholeRecording?: boolean;
  /**
   * The speakerState of the same session's last final result (opaque): an engine that adapts to
   * a speaker starts from it, and decodes the turn while it is spoken instead of after it.
   */
  readonly speakerState?: Uint8Array;
  readonly signal?: AbortSignal;
}

export interface SttStream {
  /** Queues mono float32 audio at the stream's rate. */
  pushAudio(samples: Float32Array): void;
  /** No more audio: the final result follows. */
  endInput(): void;
  /** Results as they form; ends after the final one. Rejects with a NobodyError on failure. */
  readonly events: AsyncIterable<SttEvent>;
  /** Abandons the utterance. */
  close(): void;
}

export interface SttEngine {
  stream(options: SttStreamOptions): SttStream;
}
