/**
 * @module
 * {@linkcode Trainer} over the trainer worker.
 */
import { createClient } from "@connectrpc/connect";
import { Trainer as TrainerService } from "../../gen/nobody/v1/training_pb.ts";
import type { Trainer, TrainingProgress, TrainingRequest } from "../../ports/trainer.ts";
import type {
  SampleAnalysis,
  SampleAnalysisRequest,
  SampleAnalyzer,
} from "../../ports/sample_analyzer.ts";
import { serverStream, unaryCall } from "./worker_calls.ts";
import type { WorkerSource } from "./worker_source.ts";

/** An upload waits this long for a trainer that is (re)starting before it is refused. */
const ANALYZE_ACQUIRE_TIMEOUT_MS = 15_000;

export class GrpcTrainer implements Trainer, SampleAnalyzer {
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

  async analyze(
    request: SampleAnalysisRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<SampleAnalysis> {
    const reply = await unaryCall({
      worker: "trainer",
      workers: this.#workers,
      signal: options.signal,
      acquireTimeoutMs: ANALYZE_ACQUIRE_TIMEOUT_MS,
      call: (transport, signal) =>
        createClient(TrainerService, transport).analyze({ ...request }, { signal }),
    });
    const q = reply.quality;
    if (!q) throw new Error("the trainer's analysis came back without a quality report");
    // Rounded like the worker rounds them; float32 on the wire would print 12 digits.
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return {
      sampleRate: reply.sampleRate,
      channels: reply.channels,
      normalizedRate: reply.normalizedRate,
      quality: {
        durationMs: q.durationMs,
        loudnessDbfs: r(q.loudnessDbfs),
        peakDbfs: r(q.peakDbfs),
        clippedPercent: r(q.clippedPercent),
        noiseFloorDbfs: r(q.noiseFloorDbfs),
        snrDb: r(q.snrDb),
        speechPercent: r(q.speechPercent),
        warnings: [...q.warnings],
      },
    };
  }
}
