/**
 * @module
 * {@linkcode MetricsRepository} on SQLite.
 */
import type { MetricsRepository, TurnRecord } from "../../ports/metrics_repository.ts";
import { type Database, transaction } from "./database.ts";

interface Row {
  session_id: string;
  persona_id: string | null;
  created_at: number;
  transcript_ms: number | null;
  first_token_ms: number | null;
  first_sentence_ms: number | null;
  first_audio_ms: number | null;
  first_played_ms: number | null;
}

export class SqliteMetricsRepository implements MetricsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  record(turn: TurnRecord): void {
    const t = turn.timings;
    transaction(this.#db, () => {
      this.#db.prepare(
        `INSERT INTO turn_metrics (session_id, persona_id, created_at, transcript_ms, first_token_ms,
           first_sentence_ms, first_audio_ms, first_played_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        turn.sessionId,
        turn.personaId,
        turn.at,
        t.transcriptMs,
        t.firstTokenMs,
        t.firstSentenceMs,
        t.firstAudioMs,
        t.firstPlayedMs,
      );
    });
  }

  recent(sessionId: string | null, limit: number): TurnRecord[] {
    const rows =
      (sessionId === null
        ? this.#db.prepare("SELECT * FROM turn_metrics ORDER BY id DESC LIMIT ?").all(limit)
        : this.#db.prepare(
          "SELECT * FROM turn_metrics WHERE session_id = ? ORDER BY id DESC LIMIT ?",
        ).all(sessionId, limit)) as unknown as Row[];
    return rows.map((r) => ({
      sessionId: r.session_id,
      personaId: r.persona_id,
      at: r.created_at,
      timings: {
        transcriptMs: r.transcript_ms,
        firstTokenMs: r.first_token_ms,
        firstSentenceMs: r.first_sentence_ms,
        firstAudioMs: r.first_audio_ms,
        firstPlayedMs: r.first_played_ms,
      },
    }));
  }
}
