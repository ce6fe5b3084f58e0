/**
 * @module
 * {@linkcode HistoryRepository} on SQLite.
 */
import type { HistoryRepository } from "../../ports/history_repository.ts";
import type { ChatMessage, ChatRole, ConversationHistory } from "../../domain/conversation.ts";
import { type Database, mapConstraint, transaction } from "./database.ts";

export class SqliteHistoryRepository implements HistoryRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  append(personaId: string, messages: readonly ChatMessage[]): void {
    try {
      transaction(this.#db, () => {
        const insert = this.#db.prepare(
          `INSERT INTO conversation_messages
             (persona_id, role, content, created_at, interrupted, session_id, voice_id)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const m of messages) {
          insert.run(
            personaId,
            m.role,
            m.content,
            m.at,
            m.interrupted ? 1 : 0,
            m.sessionId ?? null,
            m.voiceId ?? null,
          );
        }
      });
    } catch (error) {
      mapConstraint(error, {
        unique: "duplicate message",
        foreignKey: `persona ${personaId} does not exist`,
      });
    }
  }

  recent(personaId: string, limit: number): ConversationHistory {
    const rows = this.#db.prepare(
      `SELECT role, content, created_at, interrupted, session_id, voice_id
       FROM conversation_messages
       WHERE persona_id = ? ORDER BY id DESC LIMIT ?`,
    ).all(personaId, limit) as unknown as {
      role: ChatRole;
      content: string;
      created_at: number;
      interrupted: number;
      session_id: string | null;
      voice_id: string | null;
    }[];
    const messages = rows.reverse().map((r) => ({
      role: r.role,
      content: r.content,
      at: r.created_at,
      ...(r.interrupted ? { interrupted: true } : {}),
      sessionId: r.session_id,
      voiceId: r.voice_id,
    }));
    return { personaId, messages };
  }

  clear(personaId: string): number {
    return transaction(
      this.#db,
      () =>
        Number(
          this.#db.prepare("DELETE FROM conversation_messages WHERE persona_id = ?").run(personaId)
            .changes,
        ),
    );
  }
}
