import assert from "node:assert/strict";
import { enginePools, poolSize } from "./pool_size.ts";

const GiB = 2 ** 30;

Deno.test("poolSize() gives each core a process when memory allows", () => {
  assert.equal(
    poolSize({
      kind: "stt",
      engine: "pocketsphinx",
      configured: 0,
      cores: 2,
      memoryBytes: 24 * GiB,
    }),
    2,
  );
  assert.equal(
    poolSize({
      kind: "stt",
      engine: "pocketsphinx",
      configured: 0,
      cores: 16,
      memoryBytes: 64 * GiB,
    }),
    8,
    "a cap keeps a big machine from starting dozens",
  );
});

Deno.test("poolSize() lets memory limit large models, and auto counts the largest engine", () => {
  // A quarter of 8 GiB holds no second 2.6 GB Kyutai model.
  assert.equal(
    poolSize({ kind: "stt", engine: "auto", configured: 0, cores: 8, memoryBytes: 8 * GiB }),
    1,
  );
  // A quarter of 8 GiB holds six 300 MB pocketsphinx workers.
  assert.equal(
    poolSize({
      kind: "stt",
      engine: "pocketsphinx",
      configured: 0,
      cores: 8,
      memoryBytes: 8 * GiB,
    }),
    6,
  );
  assert.equal(
    poolSize({ kind: "tts", engine: "pocket", configured: 0, cores: 1, memoryBytes: 1 * GiB }),
    1,
    "never fewer than one",
  );
});

Deno.test("poolSize() keeps a configured size", () => {
  assert.equal(
    poolSize({ kind: "tts", engine: "espeak", configured: 3, cores: 1, memoryBytes: 1 * GiB }),
    3,
  );
});

Deno.test("enginePools() runs no local pool for an engine on a remote server, and one trainer", () => {
  const base = {
    sttProcesses: 0,
    ttsProcesses: 3,
    keepAliveMs: 60_000,
    cores: 2,
    memoryBytes: 24 * GiB,
  };
  assert.deepEqual(enginePools({ ...base, stt: "auto", tts: "espeak" }), [
    { name: "stt", size: 2, keepAliveMs: 60_000 },
    { name: "tts", size: 3, keepAliveMs: 60_000 },
    { name: "trainer", size: 1, keepAliveMs: 60_000 },
  ]);
  assert.deepEqual(enginePools({ ...base, stt: null, tts: null }).map((p) => p.name), ["trainer"]);
});
