/**
 * @module
 * {@linkcode Trainer} over the trainer worker.
 */
import { createClient } from "@connectrpc/connect";
import { Trainer as TrainerService } from "../../gen/nobody/v1/training_pb.ts";
import type { Trainer, TrainingProgress, TrainingRequest } from "../../ports/trainer.ts";
import { serverStream } from "./worker_calls.ts";
import type { WorkerSource } from "./worker_source.ts";

export class GrpcTrainer implements Trainer {
  readonly #workers: WorkerSource;

  constructor(workers: WorkerSource) {
    this.#workers = workers;
  }

  train(
    request: TrainingRequest,
    options: { signal?: AbortSignal } = {},
  ): AsyncIterable<TrainingProgress> {
    return serverStream({
      worker: "trainer",
      workers: this.#workers,
      signal: options.signal,
      call: (transport, signal) =>
        createClient(TrainerService, transport).train({
          jobId: request.jobId,
          voiceId: request.voiceId,
          samplePaths: [...request.samplePaths],
          outputDir: request.outputDir,
        }, { signal }),
      map: (u) => ({
        stage: u.stage,
        percent: u.percent,
        message: u.message,
        artifactPath: u.artifactPath || null,
      }),
    });
  }
}
