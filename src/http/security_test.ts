import assert from "node:assert/strict";
import { isLoopbackHost, sameSecret } from "./security.ts";

Deno.test("isLoopbackHost() accepts loopback names only", () => {
  for (
    const host of [
      "localhost",
      "localhost:1",
      "LocalHost.:80",
      "127.0.0.1",
      "127.255.0.9:6629",
      "[::1]",
      "[::1]:6629",
    ]
  ) {
    assert.ok(isLoopbackHost(host), host);
  }
  for (
    const host of [
      "",
      "evil.com",
      "localhost.evil.com",
      "127.0.0.1.evil.com",
      "128.0.0.1",
      "[::2]",
      "::1",
      "0.0.0.0",
      "a:b:c",
    ]
  ) {
    assert.ok(!isLoopbackHost(host), host);
  }
});

Deno.test("sameSecret() compares whole strings", () => {
  assert.ok(sameSecret("abc", "abc"));
  assert.ok(!sameSecret("abc", "abd"));
  assert.ok(!sameSecret("abc", "abcd"));
  assert.ok(!sameSecret("", "a"));
});
