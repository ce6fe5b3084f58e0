/**
 * Security defaults through the in-process app: Host (DNS rebinding), Origin (cross-site and
 * WebSocket hijacking), the API token and the dashboard cookie.
 */
import assert from "node:assert/strict";
import { expectError, multipart, ORIGIN, withCore } from "./helpers/core_harness.ts";

Deno.test("security: a request without a valid token is refused", () =>
  withCore(async (h) => {
    const missing = await h.request("/voices", { auth: false });
    assert.equal(missing.headers.get("www-authenticate"), 'Bearer realm="nobody"');
    assert.match((await expectError(missing, 401, "unauthorized")).message, /nobody token/);
    await expectError(
      await h.request("/voices", { headers: { authorization: "Bearer wrong" } }),
      401,
      "unauthorized",
    );
    await expectError(
      await h.request("/voices", { headers: { authorization: `Basic ${h.core.token}` } }),
      401,
      "unauthorized",
    );
    await expectError(
      await h.request("/status", { headers: { authorization: `Bearer ${h.core.token}x` } }),
      401,
      "unauthorized",
    );
    await expectError(
      await h.request(`/voices?token=${h.core.token}`, { auth: false }),
      401,
      "unauthorized",
    );
    assert.equal((await h.request("/voices")).status, 200);
  }));

Deno.test("security: a Host that is not loopback is refused, even with the token (DNS rebinding)", () =>
  withCore(async (h) => {
    for (
      const host of [
        "evil.example",
        "evil.example:6629",
        "127.0.0.1.nip.io",
        "localhost.evil.example",
        "10.0.0.1:6629",
      ]
    ) {
      await expectError(await h.request("/voices", { headers: { host } }), 403, "forbidden_host");
      await expectError(await h.request("/ui/", { headers: { host } }), 403, "forbidden_host");
    }
    for (
      const host of ["localhost:6629", "127.0.0.1:6629", "[::1]:6629", "LOCALHOST", "127.1.2.3"]
    ) {
      assert.equal((await h.request("/voices", { headers: { host } })).status, 200, host);
    }
  }));

Deno.test("security: cross-origin requests and WebSocket upgrades are refused", () =>
  withCore(async (h) => {
    for (
      const origin of [
        "http://evil.example",
        "null",
        "http://localhost:3000",
        "https://127.0.0.1:6629",
      ]
    ) {
      await expectError(
        await h.request("/voices", { headers: { origin } }),
        403,
        "forbidden_origin",
      );
      await expectError(
        await h.request("/voices", {
          method: "POST",
          headers: { origin, "content-type": "application/json" },
          body: JSON.stringify({ name: "forged" }),
        }),
        403,
        "forbidden_origin",
      );
      await expectError(
        await h.request("/ws/session/session_aaaaaaaaaaaaaaaaaaaa", {
          headers: { origin, upgrade: "websocket", connection: "Upgrade" },
        }),
        403,
        "forbidden_origin",
      );
    }
    await expectError(
      await h.request("/voices", {
        headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" },
      }),
      403,
      "forbidden_origin",
    );
    assert.equal(
      (await h.request("/voices", { headers: { origin: ORIGIN } })).status,
      200,
      "same origin passes",
    );
  }));

Deno.test("security: the dashboard login swaps the token for an HttpOnly SameSite=Strict cookie", () =>
  withCore(async (h) => {
    const page = await h.request("/ui/", { auth: false });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    await page.body?.cancel();

    await expectError(
      await h.request("/ui/login?token=wrong", { auth: false }),
      401,
      "unauthorized",
    );
    const login = await h.request(`/ui/login?token=${h.core.token}`, {
      auth: false,
      redirect: "manual",
    });
    assert.equal(login.status, 303);
    assert.equal(login.headers.get("location"), "/ui/");
    assert.equal(login.headers.get("referrer-policy"), "no-referrer");
    const cookie = login.headers.get("set-cookie") ?? "";
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const pair = cookie.split(";")[0];
    assert.ok(!pair.includes(h.core.token), "the cookie does not carry the token");

    const withCookie = await h.request("/voices", {
      auth: false,
      headers: { cookie: pair, origin: ORIGIN },
    });
    assert.equal(withCookie.status, 200);
    await withCookie.body?.cancel();
    await expectError(
      await h.request("/voices", {
        auth: false,
        headers: { cookie: `${pair.split("=")[0]}=forged` },
      }),
      401,
      "unauthorized",
    );
    await expectError(
      await h.request("/voices", {
        auth: false,
        headers: { cookie: pair, origin: "http://evil.example" },
      }),
      403,
      "forbidden_origin",
    );
  }));

Deno.test("security: API responses are not cached or sniffed", () =>
  withCore(async (h) => {
    const response = await h.request("/status");
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    const status = await response.json();
    assert.equal(status.service, "nobody");
    assert.equal(typeof status.uptimeMs, "number");
  }));

Deno.test("security: path traversal in ids and file names never leaves the data dir", () =>
  withCore(async (h) => {
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    for (
      const path of [
        "/voices/..%2f..%2fnobody.db",
        "/voices/%2e%2e",
        `/voices/${voice.id}/samples/..%2f..%2f..%2ftoken/audio`,
        "/voices/voice_aaaaaaaaaaaaaaaaaaaa%00/samples",
        "/ui/..%2f..%2ftoken",
      ]
    ) {
      const response = await h.request(path);
      const text = await response.text();
      assert.ok(!text.includes(h.core.token), `${path} leaked the token`);
      // URL parsing resolves "%2e%2e" like "..": that one lands on "/" and its redirect.
      assert.ok(
        [400, 404].includes(response.status) || path.startsWith("/ui/") ||
          response.headers.get("location") === "/ui/",
        `${path}: ${response.status}`,
      );
    }
    // A hostile file name is reduced to a display name; the file is stored under the sample's id.
    const speech = await Deno.readFile("/usr/share/sounds/alsa/Front_Center.wav");
    const upload = await h.request(`/voices/${voice.id}/samples`, {
      method: "POST",
      body: multipart("file", speech, "../../../../tmp/evil\u0007.wav"),
    });
    const sample = await upload.json();
    assert.equal(upload.status, 201, JSON.stringify(sample));
    assert.equal(sample.fileName, "evil.wav");
    assert.deepEqual(
      [...Deno.readDirSync(`${h.dataDir}/voices/${voice.id}/samples`)].map((e) => e.name),
      [`${sample.id}.wav`],
    );
    assert.ok(!(await Deno.stat("/tmp/evil.wav").then(() => true, () => false)));
  }));
