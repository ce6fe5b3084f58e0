/**
 * @module
 * The database of a stopped (or running, in WAL mode) service: intact, no dangling references.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";

export function assertDatabaseIntact(dataDir: string): void {
  const db = new DatabaseSync(`${dataDir}/nobody.db`, { readOnly: true });
  try {
    assert.equal(db.prepare("PRAGMA integrity_check").get()?.integrity_check, "ok");
    assert.deepEqual(db.prepare("PRAGMA foreign_key_check").all(), []);
  } finally {
    db.close();
  }
}
