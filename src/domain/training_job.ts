/**
 * @module
 * Training jobs: one run of the trainer over a voice's samples.
 */

import type { VoiceStatus } from "./voice.ts";

export type JobStatus = "running" | "succeeded" | "failed" | "cancelled" | "interrupted";

export interface TrainingJob {
  readonly id: string;
  readonly voiceId: string;
  readonly status: JobStatus;
  readonly stage: string;
  readonly percent: number;
  /** The latest progress line, or why the job failed. */
  readonly message: string;
  readonly artifactPath: string | null;
  /** The voice's status before training, restored when the job does not finish. */
  readonly previousVoiceStatus: VoiceStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function isFinished(status: JobStatus): boolean {
  return status !== "running";
}

/** The body of POST /voices/{id}/train: cloning someone's voice needs their consent. */
export function hasConsent(body: unknown): boolean {
  return typeof body === "object" && body !== null &&
    (body as { consent?: unknown }).consent === true;
}
