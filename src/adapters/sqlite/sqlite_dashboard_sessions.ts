/**
 * @module
 * {@linkcode DashboardSessionStore} on SQLite, keyed by SHA-256 of the session id.
 */
import { createHash } from "node:crypto";
import type { DashboardSessionStore } from "../../ports/dashboard_sessions.ts";
import { type Database, transaction } from "./database.ts";

const hash = (id: string) => createHash("sha256").update(id).digest("hex");

export class SqliteDashboardSessions implements DashboardSessionStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  add(id: string, at: number): void {
    transaction(this.#db, () => {
      this.#db.prepare("INSERT INTO dashboard_sessions (id_hash, created_at) VALUES (?, ?)")
        .run(hash(id), at);
    });
  }

  has(id: string): boolean {
    return this.#db.prepare("SELECT 1 FROM dashboard_sessions WHERE id_hash = ?").get(hash(id)) !==
      undefined;
  }

  remove(id: string): void {
    transaction(this.#db, () => {
      this.#db.prepare("DELETE FROM dashboard_sessions WHERE id_hash = ?").run(hash(id));
    });
  }
}
