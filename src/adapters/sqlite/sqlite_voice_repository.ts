/**
 * @module
 * {@linkcode VoiceRepository} on SQLite.
 */
import type { VoiceRepository } from "../../ports/voice_repository.ts";
import type {
  AudioFormat,
  SampleQuality,
  SampleTotals,
  Voice,
  VoiceInput,
  VoiceSample,
  VoiceStatus,
} from "../../domain/voice.ts";
import { type Database, mapConstraint, transaction } from "./database.ts";

interface VoiceRow {
  id: string;
  name: string;
  description: string;
  status: VoiceStatus;
  created_at: number;
  updated_at: number;
}

interface SampleRow {
  id: string;
  voice_id: string;
  file_name: string;
  format: AudioFormat;
  sample_rate: number;
  channels: number;
  duration_ms: number;
  size_bytes: number;
  created_at: number;
  normalized_rate: number | null;
  quality_json: string | null;
  analysis_error: string | null;
  transcript: string | null;
  content_sha256: string | null;
}

const toVoice = (row: VoiceRow): Voice => ({
  id: row.id,
  name: row.name,
  description: row.description,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toSample = (row: SampleRow): VoiceSample => ({
  id: row.id,
  voiceId: row.voice_id,
  fileName: row.file_name,
  format: row.format,
  sampleRate: row.sample_rate,
  channels: row.channels,
  durationMs: row.duration_ms,
  sizeBytes: row.size_bytes,
  createdAt: row.created_at,
  normalizedRate: row.normalized_rate,
  quality: row.quality_json === null ? null : JSON.parse(row.quality_json) as SampleQuality,
  analysisError: row.analysis_error,
  transcript: row.transcript,
  ...(row.content_sha256 === null ? {} : { contentSha256: row.content_sha256 }),
});

export class SqliteVoiceRepository implements VoiceRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  listVoices(): Voice[] {
    const rows = this.#db.prepare("SELECT * FROM voices ORDER BY created_at, rowid").all();
    return (rows as unknown as VoiceRow[]).map(toVoice);
  }

  getVoice(id: string): Voice | null {
    const row = this.#db.prepare("SELECT * FROM voices WHERE id = ?").get(id);
    return row ? toVoice(row as unknown as VoiceRow) : null;
  }

  insertVoice(voice: Voice): void {
    try {
      transaction(this.#db, () => {
        this.#db.prepare(
          `INSERT INTO voices (id, name, description, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(
          voice.id,
          voice.name,
          voice.description,
          voice.status,
          voice.createdAt,
          voice.updatedAt,
        );
      });
    } catch (error) {
      mapConstraint(error, { unique: `a voice named "${voice.name}" already exists` });
    }
  }

  setVoiceStatus(id: string, status: VoiceStatus, at: number): boolean {
    return transaction(
      this.#db,
      () =>
        this.#db.prepare("UPDATE voices SET status = ?, updated_at = ? WHERE id = ?")
          .run(status, at, id).changes > 0,
    );
  }

  updateVoice(id: string, input: VoiceInput, at: number): boolean {
    try {
      return transaction(
        this.#db,
        () =>
          this.#db.prepare(
            "UPDATE voices SET name = ?, description = ?, updated_at = ? WHERE id = ?",
          ).run(input.name, input.description, at, id).changes > 0,
      );
    } catch (error) {
      return mapConstraint(error, { unique: `a voice named "${input.name}" already exists` });
    }
  }

  setSampleDigest(sampleId: string, sha256: string): void {
    transaction(this.#db, () => {
      this.#db.prepare("UPDATE voice_samples SET content_sha256 = ? WHERE id = ?")
        .run(sha256, sampleId);
    });
  }

  deleteVoice(id: string): boolean {
    return transaction(
      this.#db,
      () => this.#db.prepare("DELETE FROM voices WHERE id = ?").run(id).changes > 0,
    );
  }

  listSamples(voiceId: string): VoiceSample[] {
    const rows = this.#db.prepare(
      "SELECT * FROM voice_samples WHERE voice_id = ? ORDER BY created_at, rowid",
    ).all(voiceId);
    return (rows as unknown as SampleRow[]).map(toSample);
  }

  getSample(voiceId: string, sampleId: string): VoiceSample | null {
    const row = this.#db.prepare("SELECT * FROM voice_samples WHERE voice_id = ? AND id = ?")
      .get(voiceId, sampleId);
    return row ? toSample(row as unknown as SampleRow) : null;
  }

  insertSample(sample: VoiceSample): void {
    try {
      transaction(this.#db, () => {
        this.#db.prepare(
          `INSERT INTO voice_samples
           (id, voice_id, file_name, format, sample_rate, channels, duration_ms, size_bytes, created_at,
            normalized_rate, quality_json, analysis_error, transcript, content_sha256)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          sample.id,
          sample.voiceId,
          sample.fileName,
          sample.format,
          sample.sampleRate,
          sample.channels,
          sample.durationMs,
          sample.sizeBytes,
          sample.createdAt,
          sample.normalizedRate,
          sample.quality === null ? null : JSON.stringify(sample.quality),
          sample.analysisError,
          sample.transcript,
          sample.contentSha256 ?? null,
        );
      });
    } catch (error) {
      mapConstraint(error, {
        unique: `sample ${sample.id} already exists`,
        foreignKey: `voice ${sample.voiceId} does not exist`,
      });
    }
  }

  deleteSample(voiceId: string, sampleId: string): boolean {
    return transaction(
      this.#db,
      () =>
        this.#db.prepare("DELETE FROM voice_samples WHERE voice_id = ? AND id = ?")
          .run(voiceId, sampleId).changes > 0,
    );
  }

  sampleTotals(): Map<string, SampleTotals> {
    const rows = this.#db.prepare(
      "SELECT voice_id, count(*) AS count, sum(duration_ms) AS total FROM voice_samples GROUP BY voice_id",
    ).all() as unknown as { voice_id: string; count: number; total: number }[];
    return new Map(rows.map((r) => [r.voice_id, { count: r.count, totalMs: r.total }]));
  }
}
