/**
 * @module
 * Voice training as the application sees it: a voice's samples in, progress out, an artifact that
 * the TTS engine loads by voice id at the end.
 */

export interface TrainingProgress {
  /** e.g. "loading", "analyzing", "fitting", "writing", "done". */
  readonly stage: string;
  /** 0 to 100. */
  readonly percent: number;
  readonly message: string;
  /** Set on the final update. */
  readonly artifactPath: string | null;
}

export interface TrainingRequest {
  readonly jobId: string;
  readonly voiceId: string;
  readonly samplePaths: readonly string[];
  readonly outputDir: string;
}

export interface Trainer {
  /** Streams progress; rejects with a NobodyError on failure, with the signal's reason on abort. */
  train(
    request: TrainingRequest,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<TrainingProgress>;
}
