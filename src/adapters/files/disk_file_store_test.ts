import assert from "node:assert/strict";
import { DiskFileStore } from "./disk_file_store.ts";

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
