import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { isCompiled, unpackWorkers, workerFiles } from "./unpack.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

Deno.test("unpackWorkers() copies the workers' sources once, atomically, and drops old versions", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const first = await unpackWorkers({ sourceDir: ROOT, dataDir, version: "0.1.0" });
    assert.ok(first.unpacked);
    assert.match(first.dir, /\/runtime\/workers-0\.1\.0-[0-9a-f]{12}$/);
    const files = await workerFiles(first.dir);
    assert.deepEqual(files, await workerFiles(ROOT), "every needed file, nothing else");
    assert.ok(files.includes("workers/tts/src/nobody_tts/__main__.py"));
    assert.ok(files.includes("proto/nobody/v1/tts.proto"));
    assert.ok(!files.some((f) => f.includes("/tests/") || f.includes("__pycache__")));
    assert.deepEqual(
      await Deno.readFile(`${first.dir}/workers/common/src/nobody_common/audio.py`),
      await Deno.readFile(`${ROOT}/workers/common/src/nobody_common/audio.py`),
    );

    const again = await unpackWorkers({ sourceDir: ROOT, dataDir, version: "0.1.0" });
    assert.deepEqual(again, { dir: first.dir, unpacked: false });

    // A cut-off unpack (no marker) and a new version: the new one replaces both.
    await Deno.mkdir(`${dataDir}/runtime/.unpack-x1`);
    const next = await unpackWorkers({ sourceDir: ROOT, dataDir, version: "0.2.0" });
    assert.ok(next.unpacked);
    assert.deepEqual([...Deno.readDirSync(`${dataDir}/runtime`)].map((e) => e.name), [
      next.dir.split("/").pop(),
    ]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("unpackWorkers() refuses a folder without the workers", async () => {
  const empty = await Deno.makeTempDir();
  try {
    await assert.rejects(
      unpackWorkers({ sourceDir: empty, dataDir: empty, version: "1" }),
      /does not hold the workers' sources/,
    );
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("isCompiled() tells a deno compile binary's module URL from a source checkout", () => {
  assert.ok(isCompiled("file:///tmp/deno-compile-nobody/main.ts"));
  assert.ok(!isCompiled(`file://${ROOT}/main.ts`));
});
