import assert from "node:assert/strict";
import { readOptionalJson } from "./body.ts";

Deno.test("readOptionalJson: no body, or an empty one of any type, is {}; a body must be JSON", async () => {
  const post = (body: string | null, type?: string) =>
    new Request("http://127.0.0.1/x", {
      method: "POST",
      body,
      headers: type ? { "content-type": type } : {},
    });
  assert.deepEqual(await readOptionalJson(post(null)), {});
  // A bare `curl -X POST -H 'content-type: application/json'` and a hotkey tool's POST.
  assert.deepEqual(await readOptionalJson(post("", "application/json")), {});
  assert.deepEqual(await readOptionalJson(post("", "text/plain")), {});
  assert.deepEqual(await readOptionalJson(post('{"mode":"dictation"}', "application/json")), {
    mode: "dictation",
  });
  await assert.rejects(readOptionalJson(post("{", "application/json")), /not valid JSON/);
  await assert.rejects(
    readOptionalJson(post("{}", "text/plain")),
    /Content-Type: application\/json/,
  );
});
