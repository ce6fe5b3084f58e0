/**
 * @module
 * Opens the SQLite database through Deno's built-in node:sqlite with the settings every
 * repository relies on, and runs pending migrations.
 */
import { DatabaseSync } from "node:sqlite";
import { NobodyError } from "../../domain/errors.ts";
import { type Migration, MIGRATIONS } from "./migrations.ts";

export type Database = DatabaseSync;

export interface OpenOptions {
  readonly migrations?: readonly Migration[];
}

export function openDatabase(path: string, options: OpenOptions = {}): Database {
  const db = new DatabaseSync(path);
  // WAL lets readers run beside a writer; NORMAL sync is durable at every checkpoint and cannot
  // corrupt in WAL mode. busy_timeout covers a second process (the CLI) writing at the same time.
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA busy_timeout = 5000");
  migrate(db, options.migrations ?? MIGRATIONS);
  return db;
}

export function schemaVersion(db: Database): number {
  const row = db.prepare("SELECT max(version) AS version FROM schema_migrations").get() as
    | { version: number | null }
    | undefined;
  return row?.version ?? 0;
}

function migrate(db: Database, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new NobodyError(
      "internal",
      `the database is at schema version ${current}, newer than this build knows (${latest}); ` +
        "upgrade nobody",
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    transaction(db, () => {
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .run(migration.version, migration.name, Date.now());
    });
  }
}

/** Runs `fn` in one IMMEDIATE transaction: all of its writes land, or none do. */
export function transaction<T>(db: Database, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

const SQLITE_CONSTRAINT_FOREIGNKEY = 787;
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

/** Turns constraint violations into expected failures; anything else is rethrown as is. */
export function mapConstraint(
  error: unknown,
  messages: { unique: string; foreignKey?: string },
): never {
  const code = (error as { errcode?: number }).errcode;
  if (code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY) {
    throw new NobodyError("conflict", messages.unique, { cause: error });
  }
  if (code === SQLITE_CONSTRAINT_FOREIGNKEY && messages.foreignKey) {
    throw new NobodyError("invalid_request", messages.foreignKey, { cause: error });
  }
  throw error;
}
