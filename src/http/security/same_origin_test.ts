import assert from "node:assert/strict";
import { Hono } from "hono";
import { sameOrigin } from "./same_origin.ts";

const app = new Hono().use(sameOrigin()).all("/", (c) => c.text("ok"));
const send = (headers: Record<string, string>, method = "POST") =>
  app.request("http://localhost:6629/", {
    method,
    headers: { host: "localhost:6629", ...headers },
  });

Deno.test("sameOrigin() lets this origin and origin-less programs through", async () => {
  assert.equal((await send({})).status, 200);
  assert.equal((await send({ origin: "http://localhost:6629" })).status, 200);
  assert.equal((await send({ "sec-fetch-site": "same-origin" })).status, 200);
  assert.equal((await send({ "sec-fetch-site": "none" })).status, 200);
});

Deno.test("sameOrigin() refuses another origin, another site and a same-site page", async () => {
  for (
    const headers of <Record<string, string>[]> [
      { origin: "http://localhost:6630" },
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      // Another port or subdomain of localhost is the same site, not the same origin.
      { "sec-fetch-site": "same-site" },
    ]
  ) {
    const response = await send(headers);
    assert.equal(response.status, 403, JSON.stringify(headers));
    assert.equal((await response.json()).error.code, "forbidden_origin");
  }
});

Deno.test("sameOrigin() lets a link from elsewhere open a page (a GET navigation), nothing more", async () => {
  const navigation = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" };
  assert.equal((await send(navigation, "GET")).status, 200);
  assert.equal((await send(navigation, "POST")).status, 403);
});
