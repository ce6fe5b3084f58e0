/**
 * @module
 * Opens the SQLite database through Deno's built-in node:sqlite with the settings every
 * repository relies on, and runs pending migrations.
 */
import { DatabaseSync } from "node:sqlite";
import { NobodyError } from "../../domain/errors.ts";
import { isDiskFull, rethrowStorage } from "../files/storage_errors.ts";
import { type Migration, MIGRATIONS } from "./migrations.ts";

export type Database = DatabaseSync;

export interface OpenOptions {
  readonly migrations?: readonly Migration[];
}

/**
 * Opens and checks the database. A damaged file (not a database, truncated, a bad page) is refused
 * with a message that says how to recover, never used: writing to it could lose more.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    // WAL lets readers run beside a writer; NORMAL sync is durable at every checkpoint and cannot
    // corrupt in WAL mode. busy_timeout covers a second process (the CLI) writing at the same time.
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    // quick_check reads every page (milliseconds for the metadata this database holds), so a
    // bad page is found now rather than by the first request that touches it.
    const problems = db.prepare("PRAGMA quick_check(5)").all().map((row) =>
      String(Object.values(row)[0])
    );
    if (problems.join() !== "ok") throw new DamagedDatabase(problems.join("; "));
    migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    try {
      db?.close();
    } catch {
      // closing a database that failed to open has nothing left to release
    }
    throw openFailure(path, error);
  }
}

class DamagedDatabase extends Error {}

const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
const SQLITE_READONLY = 8;
const SQLITE_CANTOPEN = 14;

/** Deno's node:sqlite errors carry only SQLite's message, not its code: both are read. */
function isCode(error: unknown, code: number, message: RegExp): boolean {
  const errcode = (error as { errcode?: number }).errcode;
  if (typeof errcode === "number") return (errcode & 0xff) === code;
  return message.test((error as Error).message ?? "");
}

function openFailure(path: string, error: unknown): unknown {
  if (error instanceof NobodyError) return error;
  const reason = (error as Error).message;
  if (
    error instanceof DamagedDatabase ||
    isCode(error, SQLITE_CORRUPT, /database disk image is malformed/) ||
    isCode(error, SQLITE_NOTADB, /file is not a database/)
  ) {
    const dir = path.slice(0, path.lastIndexOf("/")) || ".";
    return new NobodyError(
      "internal",
      `the database ${path} is damaged (${reason}); nothing was changed. ` +
        `Your audio is kept in ${dir}/voices. To recover: stop nobody and run ` +
        `\`sqlite3 ${path} ".recover" | sqlite3 ${dir}/recovered.db\`, then move recovered.db ` +
        `over nobody.db; or move nobody.db aside to start with an empty database (voice folders ` +
        `it does not know are then moved to ${dir}/quarantine, which \`nobody doctor\` lists)`,
      { cause: error },
    );
  }
  if (
    isCode(error, SQLITE_READONLY, /readonly database/) ||
    isCode(error, SQLITE_CANTOPEN, /unable to open database/)
  ) {
    return new NobodyError(
      "internal",
      `the database ${path} cannot be opened for writing (${reason}); check that the data dir ` +
        "is on a writable disk and belongs to this user",
      { cause: error },
    );
  }
  if (isDiskFull(error)) {
    return new NobodyError(
      "insufficient_storage",
      `the disk that holds ${path} is full; free some space and start again`,
      { cause: error },
    );
  }
  return error;
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
  try {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      // SQLite rolls back by itself on some failures (SQLITE_FULL among them); a second ROLLBACK
      // would fail and hide the real error.
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  } catch (error) {
    rethrowStorage(error);
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
