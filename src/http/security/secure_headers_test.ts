import assert from "node:assert/strict";
import { Hono } from "hono";
import { secureHeaders } from "./secure_headers.ts";

Deno.test("secureHeaders() marks every answer, errors included, and keeps a route's own caching", async () => {
  const app = new Hono()
    .use(secureHeaders())
    .get("/plain", (c) => c.text("ok"))
    .get("/cached", (c) => c.body("asset", 200, { "cache-control": "max-age=60" }))
    .get("/refused", (c) => c.json({ error: { code: "forbidden_host", message: "no" } }, 403));
  for (const path of ["/plain", "/cached", "/refused", "/missing"]) {
    const response = await app.request(`http://localhost${path}`);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    assert.equal(response.headers.get("referrer-policy"), "no-referrer", path);
    assert.equal(response.headers.get("x-frame-options"), "DENY", path);
  }
  assert.equal(
    (await app.request("http://localhost/plain")).headers.get("cache-control"),
    "no-store",
  );
  assert.equal(
    (await app.request("http://localhost/cached")).headers.get("cache-control"),
    "max-age=60",
  );
});
