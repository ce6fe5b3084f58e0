/**
 * Generated code is committed; this fails when it no longer matches proto/ (run `deno task proto`).
 */
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { generate, PY_OUT, TS_OUT } from "../proto/generate.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.name === "__pycache__") continue;
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory) out.push(...listFiles(`${dir}/${entry.name}`, `${rel}/`));
    else out.push(rel);
  }
  return out.sort();
}

Deno.test("proto: the committed generated code matches proto/", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nobody-proto-" });
  try {
    await generate(dir);
    for (const out of [TS_OUT, `${PY_OUT}/nobody`]) {
      const fresh = listFiles(`${dir}/${out}`);
      const committed = listFiles(`${ROOT}${out}`);
      assert.deepEqual(committed, fresh, `${out}: the set of generated files changed`);
      for (const file of fresh) {
        assert.equal(
          Deno.readTextFileSync(`${ROOT}${out}/${file}`),
          Deno.readTextFileSync(`${dir}/${out}/${file}`),
          `${out}/${file} is stale: run deno task proto`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
