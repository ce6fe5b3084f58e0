import assert from "node:assert/strict";
import { Hono } from "hono";
import { apiToken } from "./api_token.ts";

const app = new Hono()
  .use(apiToken({
    token: "t0ken",
    cookieName: "nobody_session",
    isSignedIn: (id) => id === "signed-in",
    isPublic: (method, path) => method === "GET" && path === "/ui/",
  }))
  .all("*", (c) => c.text("ok"));
const send = (path: string, headers: Record<string, string> = {}) =>
  app.request(`http://localhost:6629${path}`, { headers });

Deno.test("apiToken() accepts the bearer token, a signed-in cookie and a WebSocket's query token", async () => {
  assert.equal((await send("/voices", { authorization: "Bearer t0ken" })).status, 200);
  assert.equal((await send("/voices", { authorization: "bearer   t0ken " })).status, 200);
  assert.equal((await send("/voices", { cookie: "nobody_session=signed-in" })).status, 200);
  assert.equal((await send("/ws?token=t0ken", { upgrade: "websocket" })).status, 200);
  assert.equal((await send("/ui/")).status, 200);
});

Deno.test("apiToken() says what is wrong with each failed attempt", async () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ["/voices", {}, /missing API token/],
    ["/voices", { authorization: "Bearer nope" }, /not valid/],
    ["/voices", { authorization: "Basic dDBrZW4=" }, /must be: Bearer/],
    ["/voices", { cookie: "nobody_session=old" }, /logged out; sign in again/],
    // The query token counts on a WebSocket upgrade only, never on plain requests (logs, Referer).
    ["/voices?token=t0ken", {}, /missing API token/],
    ["/ws?token=nope", { upgrade: "websocket" }, /not valid/],
    ["/ui/", { authorization: "Bearer nope" }, /^$/],
  ];
  for (const [path, headers, message] of cases) {
    const response = await send(path, headers);
    if (message.source === "^$") {
      assert.equal(response.status, 200, path);
      continue;
    }
    assert.equal(response.status, 401, `${path} ${JSON.stringify(headers)}`);
    const body = await response.json();
    assert.equal(body.error.code, "unauthorized");
    assert.match(body.error.message, message);
  }
});
