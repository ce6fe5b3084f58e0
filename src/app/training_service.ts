/**
 * @module
 * Training jobs: a voice's samples go to the trainer, progress is stored and published as it
 * streams, and the voice becomes ready when the artifact is written. A job that does not finish
 * (cancelled, failed, or cut off by a stop or crash) leaves the voice as it was: the trainer
 * replaces an artifact only at the very end.
 */
import { NobodyError, notFound } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import { isFinished, type JobStatus, type TrainingJob } from "../domain/training_job.ts";
import { qualityTier, TIER_MIN_MS, totalsOf } from "../domain/voice.ts";
import type { FileStore } from "../ports/file_store.ts";
import type { Clock, IdSource } from "../ports/runtime.ts";
import type { Trainer } from "../ports/trainer.ts";
import type { TrainingJobRepository } from "../ports/training_job_repository.ts";
import type { VoiceRepository } from "../ports/voice_repository.ts";
import type { EventBus } from "./event_bus.ts";
import { trainingKey, voiceDir } from "../domain/voice_files.ts";

export interface TrainingServiceDeps {
  readonly jobs: TrainingJobRepository;
  readonly voices: VoiceRepository;
  readonly files: FileStore;
  readonly trainer: Trainer;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly events: EventBus<DomainEvent>;
}

const INTERRUPTED = "the service stopped during training; start the training again";

export class TrainingService {
  readonly #deps: TrainingServiceDeps;
  readonly #running = new Map<
    string,
    { voiceId: string; controller: AbortController; task: Promise<void> }
  >();
  #closing = false;

  constructor(deps: TrainingServiceDeps) {
    this.#deps = deps;
  }

  /** At start-up: jobs a crash or stop left running are marked interrupted, their voices restored. */
  recover(): number {
    const jobs = this.#deps.jobs.interruptRunning(INTERRUPTED, this.#deps.clock.now());
    for (const job of jobs) {
      this.#deps.voices.setVoiceStatus(
        job.voiceId,
        job.previousVoiceStatus,
        this.#deps.clock.now(),
      );
    }
    return jobs.length;
  }

  get(jobId: string): TrainingJob {
    const job = this.#deps.jobs.get(jobId);
    if (!job) throw notFound("training job", jobId);
    return job;
  }

  /** The voice's job that is running now, if any. */
  runningJob(voiceId: string): TrainingJob | null {
    const entry = [...this.#running.entries()].find(([, r]) => r.voiceId === voiceId);
    return entry ? this.get(entry[0]) : null;
  }

  start(voiceId: string, options: { consent: boolean }): TrainingJob {
    const voice = this.#deps.voices.getVoice(voiceId);
    if (!voice) throw notFound("voice", voiceId);
    if (!options.consent) {
      throw new NobodyError(
        "invalid_request",
        `cloning a voice needs the speaker's consent: send {"consent": true} to confirm you have it`,
      );
    }
    const samples = this.#deps.voices.listSamples(voiceId);
    const totals = totalsOf(samples);
    if (qualityTier(totals.totalMs) === "insufficient") {
      throw new NobodyError(
        "invalid_request",
        `voice ${voiceId} has ${
          (totals.totalMs / 1000).toFixed(1)
        } s of samples; training needs at least ${TIER_MIN_MS.quick / 1000} s`,
      );
    }
    // A second press of Train (or a retried request) joins the job that is running.
    const running = this.runningJob(voiceId);
    if (running) return running;
    const now = this.#deps.clock.now();
    const job: TrainingJob = {
      id: this.#deps.ids.next("job"),
      voiceId,
      status: "running",
      stage: "queued",
      percent: 0,
      message: `training on ${samples.length} sample(s), ${(totals.totalMs / 1000).toFixed(1)} s`,
      artifactPath: null,
      previousVoiceStatus: voice.status === "training" ? "draft" : voice.status,
      createdAt: now,
      updatedAt: now,
    };
    this.#deps.jobs.insert(job);
    this.#deps.voices.setVoiceStatus(voiceId, "training", now);
    const controller = new AbortController();
    const task = this.#run(
      job,
      samples.map((s) => this.#deps.files.path(trainingKey(s))),
      controller.signal,
    )
      .finally(() => this.#running.delete(job.id));
    this.#running.set(job.id, { voiceId, controller, task });
    return job;
  }

  async #run(initial: TrainingJob, samplePaths: string[], signal: AbortSignal): Promise<void> {
    let job = initial;
    const save = (changes: Partial<TrainingJob>) => {
      job = { ...job, ...changes, updatedAt: this.#deps.clock.now() };
      this.#deps.jobs.update(job);
    };
    try {
      const updates = this.#deps.trainer.train({
        jobId: job.id,
        voiceId: job.voiceId,
        samplePaths,
        outputDir: this.#deps.files.path(voiceDir(job.voiceId)),
      }, { signal });
      for await (const u of updates) {
        save({
          stage: u.stage,
          percent: u.percent,
          message: u.message,
          artifactPath: u.artifactPath ?? job.artifactPath,
        });
        this.#deps.events.publish({
          type: "training_progress",
          jobId: job.id,
          voiceId: job.voiceId,
          stage: u.stage,
          percent: u.percent,
          message: u.message,
        });
      }
      save({ status: "succeeded", percent: 100 });
      this.#deps.voices.setVoiceStatus(job.voiceId, "ready", this.#deps.clock.now());
    } catch (error) {
      // A stop interrupts (start again later); the caller's abort cancels; anything else failed.
      const status: JobStatus = !signal.aborted
        ? "failed"
        : this.#closing
        ? "interrupted"
        : "cancelled";
      const message = status === "failed"
        ? (error as Error).message
        : status === "interrupted"
        ? INTERRUPTED
        : "cancelled";
      save({ status, message });
      // The job records what went wrong; the voice keeps its previous artifact and status.
      this.#deps.voices.setVoiceStatus(
        job.voiceId,
        job.previousVoiceStatus,
        this.#deps.clock.now(),
      );
    }
    this.#deps.events.publish({ type: "training_finished", job });
  }

  /** Whether a voice being trained again still has the artifact of an earlier training. */
  wasReadyBefore(voiceId: string): boolean {
    return [...this.#running.entries()].some(([jobId, r]) =>
      r.voiceId === voiceId && this.#deps.jobs.get(jobId)?.previousVoiceStatus === "ready"
    );
  }

  /** Cancels a running job and waits until it has stopped. */
  async cancel(jobId: string): Promise<TrainingJob> {
    const job = this.get(jobId);
    const running = this.#running.get(jobId);
    if (isFinished(job.status) || !running) {
      throw new NobodyError("conflict", `training job ${jobId} has already ${job.status}`);
    }
    running.controller.abort(new DOMException("training cancelled", "AbortError"));
    await running.task;
    return this.get(jobId);
  }

  /** Cancels the voice's running job, if any, and waits until it has stopped (before a delete). */
  async cancelForVoice(voiceId: string): Promise<void> {
    for (const [jobId, running] of [...this.#running]) {
      if (running.voiceId === voiceId) await this.cancel(jobId);
    }
  }

  /** Stops every job (they end interrupted, to be started again) and waits for them. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const { controller } of this.#running.values()) {
      controller.abort(new DOMException("shutting down", "AbortError"));
    }
    await Promise.all([...this.#running.values()].map((r) => r.task));
  }
}
