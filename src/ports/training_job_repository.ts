/**
 * @module
 * Stored training jobs.
 */
import type { TrainingJob } from "../domain/training_job.ts";

export interface TrainingJobRepository {
  insert(job: TrainingJob): void;
  update(job: TrainingJob): void;
  get(id: string): TrainingJob | null;
  /** Jobs a crash or stop left running are marked interrupted; returns them as they are now. */
  interruptRunning(message: string, at: number): TrainingJob[];
}
