import assert from "node:assert/strict";
import { Hono } from "hono";
import { isLoopbackHost, loopbackHost } from "./loopback_host.ts";

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

Deno.test("loopbackHost() answers a rebinding Host with 403 forbidden_host before any route runs", async () => {
  let reached = 0;
  const app = new Hono().use(loopbackHost()).get("/", (c) => (reached++, c.text("ok")));
  const ok = await app.request("http://127.0.0.1:6629/", { headers: { host: "localhost:6629" } });
  assert.equal(ok.status, 200);
  const bad = await app.request("http://127.0.0.1:6629/", {
    headers: { host: "attacker.example:6629" },
  });
  assert.equal(bad.status, 403);
  assert.equal((await bad.json()).error.code, "forbidden_host");
  assert.equal(reached, 1);
});
