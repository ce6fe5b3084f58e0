import assert from "node:assert/strict";
import { openDatabase, schemaVersion, transaction } from "./database.ts";
import { MIGRATIONS } from "./migrations.ts";
import { SqliteVoiceRepository } from "./sqlite_voice_repository.ts";

async function withDir(fn: (dir: string) => void | Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("openDatabase() migrates once, in WAL mode with foreign keys on", () =>
  withDir((dir) => {
    const db = openDatabase(`${dir}/a.db`);
    assert.equal(schemaVersion(db), MIGRATIONS.at(-1)!.version);
    assert.deepEqual({ ...db.prepare("PRAGMA journal_mode").get() }, { journal_mode: "wal" });
    assert.deepEqual({ ...db.prepare("PRAGMA foreign_keys").get() }, { foreign_keys: 1 });
    db.close();
    const again = openDatabase(`${dir}/a.db`);
    const rows = again.prepare("SELECT version FROM schema_migrations").all();
    assert.equal(rows.length, MIGRATIONS.length, "migrations are not applied twice");
    again.close();
  }));

Deno.test("openDatabase() applies only pending migrations and refuses a newer schema", () =>
  withDir((dir) => {
    openDatabase(`${dir}/a.db`).close();
    const next = [...MIGRATIONS, {
      version: 99,
      name: "extra",
      sql: "CREATE TABLE extra (x INTEGER) STRICT",
    }];
    const db = openDatabase(`${dir}/a.db`, { migrations: next });
    assert.equal(schemaVersion(db), 99);
    db.close();
    assert.throws(
      () => openDatabase(`${dir}/a.db`),
      /schema version 99, newer than this build knows/,
    );
  }));

Deno.test("openDatabase() rolls back a failing migration whole", () =>
  withDir((dir) => {
    const latest = MIGRATIONS.at(-1)!.version;
    const broken = [...MIGRATIONS, {
      version: latest + 1,
      name: "broken",
      sql: "CREATE TABLE t (x INTEGER); NOT SQL",
    }];
    assert.throws(() => openDatabase(`${dir}/a.db`, { migrations: broken }));
    const db = openDatabase(`${dir}/a.db`);
    assert.equal(schemaVersion(db), latest);
    assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get(), undefined);
    db.close();
  }));

Deno.test("transaction() commits all writes or none", () =>
  withDir((dir) => {
    const db = openDatabase(`${dir}/a.db`);
    db.exec("CREATE TABLE n (x INTEGER)");
    transaction(db, () => db.exec("INSERT INTO n VALUES (1), (2)"));
    assert.throws(() =>
      transaction(db, () => {
        db.exec("INSERT INTO n VALUES (3)");
        throw new Error("boom");
      }), /boom/);
    assert.deepEqual({ ...db.prepare("SELECT count(*) AS c FROM n").get() }, { c: 2 });
    db.close();
  }));

Deno.test("migration 4 keeps the samples stored before it, unanalyzed", () =>
  withDir((dir) => {
    const v3 = openDatabase(`${dir}/a.db`, { migrations: MIGRATIONS.slice(0, 3) });
    v3.exec(`INSERT INTO voices VALUES ('voice_aaaaaaaaaaaaaaaaaaaa', 'Ada', '', 'ready', 1, 1)`);
    v3.exec(`INSERT INTO voice_samples VALUES
      ('sample_aaaaaaaaaaaaaaaaaaaa', 'voice_aaaaaaaaaaaaaaaaaaaa', 'a.wav', 'wav', 48000, 1, 1428, 137134, 2)`);
    v3.close();
    const db = openDatabase(`${dir}/a.db`);
    const samples = new SqliteVoiceRepository(db).listSamples("voice_aaaaaaaaaaaaaaaaaaaa");
    assert.equal(samples.length, 1);
    assert.equal(samples[0].durationMs, 1428);
    assert.deepEqual([samples[0].normalizedRate, samples[0].quality, samples[0].transcript], [
      null,
      null,
      null,
    ]);
    assert.equal(db.prepare("PRAGMA integrity_check").get()?.integrity_check, "ok");
    assert.deepEqual(db.prepare("PRAGMA foreign_key_check").all(), []);
    // Deleting the voice still cascades to the rebuilt table.
    db.exec("DELETE FROM voices");
    assert.equal(db.prepare("SELECT count(*) AS n FROM voice_samples").get()?.n, 0);
    db.close();
  }));
