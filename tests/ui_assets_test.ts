/**
 * ui/assets.ts is generated from ui/static/; this fails when it is stale (run deno task build:ui).
 */
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { assetsModule, bundle } from "../ui/build.ts";
import { UI_ASSETS } from "../ui/assets.ts";

Deno.test("ui: the embedded file table matches ui/static/", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/assets.ts`, assetsModule());
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: [
        "fmt",
        "--quiet",
        "--config",
        fileURLToPath(new URL("../deno.json", import.meta.url)),
        `${dir}/assets.ts`,
      ],
    }).output();
    assert.equal(code, 0);
    const committed = await Deno.readTextFile(new URL("../ui/assets.ts", import.meta.url));
    assert.equal(
      committed,
      await Deno.readTextFile(`${dir}/assets.ts`),
      "ui/assets.ts is stale: run deno task build:ui",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const index = UI_ASSETS.get("index.html");
  assert.equal(index?.contentType, "text/html; charset=utf-8");
  assert.deepEqual(
    index?.body,
    await Deno.readFile(new URL("../ui/static/index.html", import.meta.url)),
  );
});

Deno.test("ui: the committed bundle is built from ui/src/ (run deno task build:ui)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await bundle(`${dir}/app.js`);
    assert.equal(
      await Deno.readTextFile(new URL("../ui/static/app.js", import.meta.url)),
      await Deno.readTextFile(`${dir}/app.js`),
      "ui/static/app.js is stale: run deno task build:ui",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
