/**
 * @module
 * {@linkcode Trainer} over the trainer worker.
 */
import { createClient } from "@connectrpc/connect";
import { Trainer as TrainerService } from "../../gen/nobody/v1/training_pb.ts";
import type { Trainer, TrainingProgress, TrainingRequest } from "../../ports/trainer.ts";
import { workerError } from "./errors.ts";
import { linkSignal, type WorkerSource } from "./worker_source.ts";

export class GrpcTrainer implements Trainer {
  readonly #workers: WorkerSource;

  constructor(workers: WorkerSource) {
    this.#workers = workers;
  }

  async *train(
    request: TrainingRequest,
    options: { signal?: AbortSignal } = {},
  ): AsyncIterable<TrainingProgress> {
    const controller = new AbortController();
    const unlink = linkSignal(options.signal, controller);
    try {
      const transport = await this.#workers.acquire("trainer", { signal: controller.signal });
      const updates = createClient(TrainerService, transport).train({
        jobId: request.jobId,
        voiceId: request.voiceId,
        samplePaths: [...request.samplePaths],
        outputDir: request.outputDir,
      }, { signal: controller.signal })[Symbol.asyncIterator]();
      // Iterated by hand so that a consumer that stops early cancels the call (see grpc_tts.ts).
      while (true) {
        const next = await updates.next();
        if (next.done) break;
        const u = next.value;
        yield {
          stage: u.stage,
          percent: u.percent,
          message: u.message,
          artifactPath: u.artifactPath || null,
        };
      }
    } catch (error) {
      throw workerError("trainer", error, controller.signal);
    } finally {
      controller.abort(new DOMException("training finished", "AbortError"));
      unlink();
    }
  }
}
