import assert from "node:assert/strict";
import { openDatabase } from "../adapters/sqlite/database.ts";
import { SqliteVoiceRepository } from "../adapters/sqlite/sqlite_voice_repository.ts";
import { SqliteTrainingJobRepository } from "../adapters/sqlite/sqlite_training_job_repository.ts";
import { DiskFileStore } from "../adapters/files/disk_file_store.ts";
import { NobodyError } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import type { VoiceStatus } from "../domain/voice.ts";
import type { Trainer } from "../ports/trainer.ts";
import { EventBus } from "./event_bus.ts";
import { TrainingService } from "./training_service.ts";

/** A trainer that reports progress, then fails, or waits to be cancelled. */
function trainer(outcome: "fail" | "hang"): Trainer {
  return {
    async *train(_request, { signal } = {}) {
      yield { stage: "fitting", percent: 50, message: "half way", artifactPath: null };
      if (outcome === "fail") throw new NobodyError("unavailable", "the trainer ran out of memory");
      await new Promise((_, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    },
  };
}

async function withTraining(
  status: VoiceStatus,
  outcome: "fail" | "hang",
  fn: (
    service: TrainingService,
    voiceStatus: () => VoiceStatus,
    jobDone: Promise<void>,
  ) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  const db = openDatabase(":memory:");
  try {
    const voices = new SqliteVoiceRepository(db);
    voices.insertVoice({
      id: "voice_aaaaaaaaaaaaaaaaaaaa",
      name: "Ada",
      description: "",
      status,
      createdAt: 1,
      updatedAt: 1,
    });
    voices.insertSample({
      id: "sample_aaaaaaaaaaaaaaaaaaaa",
      voiceId: "voice_aaaaaaaaaaaaaaaaaaaa",
      fileName: "a.wav",
      format: "wav",
      sampleRate: 16_000,
      channels: 1,
      durationMs: 20_000,
      sizeBytes: 640_044,
      createdAt: 1,
      normalizedRate: null,
      quality: null,
      analysisError: null,
      transcript: null,
    });
    let n = 0;
    const events = new EventBus<DomainEvent>({ onListenerError: () => {} });
    let finished = () => {};
    const jobDone = new Promise<void>((resolve) => finished = resolve);
    events.subscribe((e) => e.type === "training_finished" && finished());
    const service = new TrainingService({
      jobs: new SqliteTrainingJobRepository(db),
      voices,
      files: new DiskFileStore(dir),
      trainer: trainer(outcome),
      clock: { now: () => Date.now() },
      ids: { next: (kind) => `${kind}_${String(n++).padStart(20, "b")}` },
      events,
    });
    await fn(service, () => voices.getVoice("voice_aaaaaaaaaaaaaaaaaaaa")!.status, jobDone);
    await service.close();
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

// Review mutant: a failed or cancelled retrain of a ready voice sent it back to draft, so a
// working voice stopped speaking because a second training went wrong.
for (const outcome of ["fail", "hang"] as const) {
  Deno.test(`TrainingService: a ${outcome === "fail" ? "failed" : "cancelled"} retrain leaves a ready voice ready`, () =>
    withTraining("ready", outcome, async (service, voiceStatus, jobDone) => {
      const job = service.start("voice_aaaaaaaaaaaaaaaaaaaa", { consent: true });
      assert.equal(voiceStatus(), "training");
      if (outcome === "hang") await service.cancel(job.id);
      await jobDone;
      assert.equal(service.get(job.id).status, outcome === "fail" ? "failed" : "cancelled");
      assert.equal(voiceStatus(), "ready");
    }));
}

Deno.test("TrainingService: a failed first training leaves a draft voice a draft", () =>
  withTraining("draft", "fail", async (service, voiceStatus, jobDone) => {
    service.start("voice_aaaaaaaaaaaaaaaaaaaa", { consent: true });
    await jobDone;
    assert.equal(voiceStatus(), "draft");
  }));
