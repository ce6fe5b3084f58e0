/**
 * @module
 * Turns an uploaded sample into what training needs: decoded, normalized to the engine's rate
 * (written beside the original) and measured. The core never decodes or resamples audio itself.
 */
import type { AudioFormat, SampleQuality } from "../domain/voice.ts";

export interface SampleAnalysisRequest {
  /** Absolute path of the stored upload. */
  readonly inputPath: string;
  readonly format: AudioFormat;
  /** Absolute path for the normalized copy (16-bit mono WAV). */
  readonly outputPath: string;
}

export interface SampleAnalysis {
  /** The upload's own rate and channel count. */
  readonly sampleRate: number;
  readonly channels: number;
  readonly normalizedRate: number;
  readonly quality: SampleQuality;
}

export interface SampleAnalyzer {
  /**
   * Rejects with a NobodyError: `invalid_request` for a file that cannot be decoded, `unavailable`
   * when the worker is not running.
   */
  analyze(
    request: SampleAnalysisRequest,
    options?: { signal?: AbortSignal },
  ): Promise<SampleAnalysis>;
}
