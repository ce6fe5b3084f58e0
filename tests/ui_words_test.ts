import assert from "node:assert/strict";
import { duration, plural } from "../ui/src/words.ts";

Deno.test("words: counts and lengths of time as a person reads them", () => {
  assert.equal(plural(1, "sample"), "1 sample");
  assert.equal(plural(0, "sample"), "0 samples");
  assert.equal(plural(8, "sample"), "8 samples");
  assert.equal(duration(13_400), "13 s");
  assert.equal(duration(991_000), "16 min"); // it said "up 991 s"
  assert.equal(duration((3 * 60 + 5) * 60_000), "3 h 5 min");
  assert.equal(duration((50 * 60 + 1) * 60_000), "2 days 2 h");
});
