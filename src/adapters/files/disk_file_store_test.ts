import assert from "node:assert/strict";
import { DiskFileStore } from "./disk_file_store.ts";
import { within } from "../../../tests/helpers/wait.ts";

async function withStore(fn: (store: DiskFileStore, root: string) => Promise<void>) {
  const root = await Deno.makeTempDir();
  try {
    await fn(new DiskFileStore(root), root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("DiskFileStore writes, reads, lists and removes by key", () =>
  withStore(async (store, root) => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) & 255);
    await store.write("voices/voice_a/samples/sample_b.wav", bytes);
    assert.deepEqual(await store.read("voices/voice_a/samples/sample_b.wav"), bytes);
    assert.deepEqual(await store.list("voices/voice_a/samples"), ["sample_b.wav"]);
    assert.equal(
      (await Deno.stat(`${root}/voices/voice_a/samples/sample_b.wav`)).mode! & 0o777,
      0o600,
    );
    await store.remove("voices/voice_a/samples/sample_b.wav");
    assert.equal(await store.read("voices/voice_a/samples/sample_b.wav"), null);
    await store.write("voices/voice_a/x.bin", bytes);
    await store.removeTree("voices/voice_a");
    assert.deepEqual(await store.list("voices"), []);
    assert.deepEqual(await store.list("nothing/here"), []);
  }));

Deno.test("DiskFileStore replaces a file whole and leaves no temp file", () =>
  withStore(async (store) => {
    await store.write("a/b.bin", new Uint8Array([1, 2, 3]));
    await store.write("a/b.bin", new Uint8Array([4, 5]));
    assert.deepEqual(await store.read("a/b.bin"), new Uint8Array([4, 5]));
    assert.deepEqual(await store.list("a"), ["b.bin"]);
  }));

Deno.test("DiskFileStore leaves nothing behind when a write is aborted", () =>
  withStore(async (store) => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await assert.rejects(
      store.write("a/b.bin", new Uint8Array(10), { signal: controller.signal }),
      /stop/,
    );
    assert.equal(await store.read("a/b.bin"), null);
  }));

Deno.test("DiskFileStore refuses keys that could escape its root", () =>
  withStore(async (store) => {
    for (const key of ["../x", "a/../../x", "/etc/passwd", "a//b", "A/b", "a/b/", ""]) {
      await assert.rejects(store.read(key), TypeError, key);
    }
  }));

const same = (a: Uint8Array | null, b: Uint8Array) =>
  a !== null && a.length === b.length && a.every((x, i) => x === b[i]);

// Review mutant: DiskFileStore writing in place (no temp + rename); nothing tested atomicity.
Deno.test("DiskFileStore never shows a half-written file under its key, and a write cut off leaves the old one", () =>
  withStore(async (store, root) => {
    const key = "voices/voice_a/samples/sample_b.wav";
    const old = Uint8Array.from({ length: 50_000 }, (_, i) => i & 255);
    await store.write(key, old);
    let release = () => {};
    const gate = new Promise<void>((resolve) => release = resolve);
    const stop = new AbortController();
    let halfWritten = () => {};
    const half = new Promise<void>((resolve) => halfWritten = resolve);
    const writing = store.write(
      key,
      (async function* () {
        yield new Uint8Array(30_000).fill(7);
        halfWritten();
        await gate; // the writer is stuck (or its process dies) here
        yield new Uint8Array(30_000).fill(8);
      })(),
      { signal: stop.signal },
    );
    await half;
    let during: Uint8Array | null;
    try {
      during = await store.read(key);
    } finally {
      stop.abort(new DOMException("the writer died", "AbortError"));
      release();
    }
    // Compared by hand: node:assert's diff of two large byte arrays takes minutes.
    assert.ok(same(during, old), "readers see the old file while the new one is written");
    await within(
      "the aborted write to end",
      assert.rejects(writing, { name: "AbortError" }),
      10_000,
    );
    assert.ok(same(await store.read(key), old), "the old file is intact");
    assert.deepEqual(await store.list("voices/voice_a/samples"), ["sample_b.wav"], "no temp left");
    assert.equal((await Deno.stat(`${root}/${key}`)).size, old.length);
  }));
