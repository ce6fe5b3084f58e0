import assert from "node:assert/strict";
import { isId, makeId, parseId } from "./ids.ts";

Deno.test("makeId() produces ids that parse back for their kind only", () => {
  const id = makeId("voice", crypto.getRandomValues(new Uint8Array(20)));
  assert.match(id, /^voice_[a-z2-7]{20}$/);
  assert.ok(isId("voice", id));
  assert.ok(!isId("persona", id));
});

Deno.test("parseId() rejects traversal and look-alikes with a clear message", () => {
  for (
    const bad of [
      "../voice_x",
      "voice_AAAAAAAAAAAAAAAAAAAA",
      "voice_aaaa",
      "voice_aaaaaaaaaaaaaaaaaaaa/..",
      7,
    ]
  ) {
    const result = parseId("voice", bad);
    assert.ok(!result.ok);
    assert.equal(result.error.code, "invalid_id");
    assert.match(result.error.message, /is not a voice id/);
  }
});
