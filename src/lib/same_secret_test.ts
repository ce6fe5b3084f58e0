import assert from "node:assert/strict";
import { sameSecret } from "./same_secret.ts";

Deno.test("sameSecret() compares whole strings", () => {
  assert.ok(sameSecret("abc", "abc"));
  assert.ok(!sameSecret("abc", "abd"));
  assert.ok(!sameSecret("abc", "abcd"));
  assert.ok(!sameSecret("", "a"));
});
