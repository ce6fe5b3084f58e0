/**
 * @module
 * {@linkcode TrainingJobRepository} on SQLite.
 */
import type { JobStatus, TrainingJob } from "../../domain/training_job.ts";
import type { VoiceStatus } from "../../domain/voice.ts";
import type { TrainingJobRepository } from "../../ports/training_job_repository.ts";
import { type Database, mapConstraint, transaction } from "./database.ts";

interface Row {
  id: string;
  voice_id: string;
  status: JobStatus;
  stage: string;
  percent: number;
  message: string;
  artifact_path: string | null;
  previous_voice_status: VoiceStatus;
  created_at: number;
  updated_at: number;
}

const toJob = (r: Row): TrainingJob => ({
  id: r.id,
  voiceId: r.voice_id,
  status: r.status,
  stage: r.stage,
  percent: r.percent,
  message: r.message,
  artifactPath: r.artifact_path,
  previousVoiceStatus: r.previous_voice_status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqliteTrainingJobRepository implements TrainingJobRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  insert(job: TrainingJob): void {
    try {
      transaction(this.#db, () => {
        this.#db.prepare(
          `INSERT INTO training_jobs (id, voice_id, status, stage, percent, message, artifact_path,
             previous_voice_status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          job.id,
          job.voiceId,
          job.status,
          job.stage,
          job.percent,
          job.message,
          job.artifactPath,
          job.previousVoiceStatus,
          job.createdAt,
          job.updatedAt,
        );
      });
    } catch (error) {
      mapConstraint(error, {
        unique: `job ${job.id} exists`,
        foreignKey: `voice ${job.voiceId} does not exist`,
      });
    }
  }

  update(job: TrainingJob): void {
    transaction(this.#db, () => {
      this.#db.prepare(
        `UPDATE training_jobs SET status = ?, stage = ?, percent = ?, message = ?, artifact_path = ?, updated_at = ?
         WHERE id = ?`,
      ).run(
        job.status,
        job.stage,
        job.percent,
        job.message,
        job.artifactPath,
        job.updatedAt,
        job.id,
      );
    });
  }

  get(id: string): TrainingJob | null {
    const row = this.#db.prepare("SELECT * FROM training_jobs WHERE id = ?").get(id);
    return row ? toJob(row as unknown as Row) : null;
  }

  interruptRunning(message: string, at: number): TrainingJob[] {
    return transaction(this.#db, () => {
      const ids = (this.#db.prepare("SELECT id FROM training_jobs WHERE status = 'running'")
        .all() as unknown as {
          id: string;
        }[]).map((r) => r.id);
      this.#db.prepare(
        "UPDATE training_jobs SET status = 'interrupted', message = ?, updated_at = ? WHERE status = 'running'",
      )
        .run(message, at);
      return ids.map((id) => this.get(id)!);
    });
  }
}
