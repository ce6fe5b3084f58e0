/**
 * The real service as a process: listening on loopback, refusing foreign Hosts, Origins and
 * missing tokens over a real socket, serving every endpoint, and stopping cleanly on SIGTERM.
 */
import assert from "node:assert/strict";
import { rawRequest, startServer } from "./helpers/server_process.ts";
import { waitUntil } from "./helpers/wait.ts";
import { SPEECH_WAV } from "./helpers/fixtures.ts";

async function withServer(fn: (s: Awaited<ReturnType<typeof startServer>>) => Promise<void>) {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-serve-" });
  const server = await startServer(dataDir);
  try {
    await fn(server);
  } finally {
    const status = await server.stop();
    await Deno.remove(dataDir, { recursive: true });
    assert.equal(status.code, 0, "the server exits cleanly on SIGTERM");
  }
}

Deno.test("serve: listens on 127.0.0.1 only and writes its address for clients", () =>
  withServer(async (s) => {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const info = JSON.parse(await Deno.readTextFile(`${s.dataDir}/server.json`));
    assert.equal(info.url, s.url);
    assert.equal((await Deno.stat(`${s.dataDir}/token`)).mode! & 0o777, 0o600);
    const addresses = Deno.networkInterfaces().filter((i) =>
      i.family === "IPv4" && !i.address.startsWith("127.")
    );
    for (const { address } of addresses) {
      await assert.rejects(
        Deno.connect({ hostname: address, port: s.port }),
        `not reachable on ${address}`,
      );
    }
  }));

Deno.test("serve: refuses a rebinding Host, a foreign Origin and a missing token over a real socket", () =>
  withServer(async (s) => {
    const auth = `Authorization: Bearer ${s.token}`;
    const rebound = await rawRequest(
      s.port,
      `GET /voices HTTP/1.1\nHost: attacker.example:${s.port}\n${auth}`,
    );
    assert.match(rebound, /^HTTP\/1\.1 403/);
    assert.match(rebound, /"code":"forbidden_host"/);

    const foreign = await rawRequest(
      s.port,
      `GET /voices HTTP/1.1\nHost: 127.0.0.1:${s.port}\nOrigin: http://attacker.example\n${auth}`,
    );
    assert.match(foreign, /^HTTP\/1\.1 403/);
    assert.match(foreign, /"code":"forbidden_origin"/);

    const upgrade = await rawRequest(
      s.port,
      [
        `GET /ws/session/session_aaaaaaaaaaaaaaaaaaaa HTTP/1.1`,
        `Host: localhost:${s.port}`,
        `Origin: http://attacker.example`,
        `Upgrade: websocket`,
        `Connection: Upgrade`,
        `Sec-WebSocket-Version: 13`,
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==`,
      ].join("\n"),
    );
    assert.match(upgrade, /^HTTP\/1\.1 403/);
    assert.match(upgrade, /"code":"forbidden_origin"/);

    const anonymous = await fetch(`${s.url}/voices`);
    assert.equal(anonymous.status, 401);
    assert.equal((await anonymous.json()).error.code, "unauthorized");

    const ok = await fetch(`${s.url}/voices`, { headers: { authorization: `Bearer ${s.token}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { voices: [] });
  }));

Deno.test("serve: data survives a restart on the same data dir", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-serve-" });
  try {
    const first = await startServer(dataDir);
    const headers = { authorization: `Bearer ${first.token}` };
    const voice = await (await fetch(`${first.url}/voices`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada" }),
    })).json();
    const form = new FormData();
    form.append("file", new File([await Deno.readFile(SPEECH_WAV)], "a.wav"));
    const upload = await fetch(`${first.url}/voices/${voice.id}/samples`, {
      method: "POST",
      headers,
      body: form,
    });
    assert.equal(upload.status, 201);
    await upload.body?.cancel();
    assert.equal((await first.stop()).code, 0);
    await assert.rejects(Deno.stat(`${dataDir}/server.json`), Deno.errors.NotFound);

    const second = await startServer(dataDir);
    assert.equal(second.token, first.token, "the token is kept");
    const again = await (await fetch(`${second.url}/voices/${voice.id}`, { headers })).json();
    assert.deepEqual([again.name, again.sample_count, again.total_sample_ms], ["Ada", 1, 1428]);
    assert.equal((await second.stop()).code, 0);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

// The connection guard relays every byte: curl's uploads (Expect: 100-continue for bodies over
// 1 MiB), keep-alive requests one after another and a streamed body all arrive intact.
Deno.test("serve: curl uploads with 100-continue and keep-alive requests pass the connection guard", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(`${dir}/data`);
  try {
    const auth = `Authorization: Bearer ${server.token}`;
    const voice = await (await fetch(`${server.url}/voices`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada" }),
    })).json();
    // 2.3 MB of real speech: curl asks for 100-continue before sending the body.
    const big = `${dir}/big.wav`;
    const sox = await new Deno.Command("sox", { args: [SPEECH_WAV, big, "repeat", "16"] }).output();
    assert.equal(sox.code, 0);
    const curl = await new Deno.Command("curl", {
      args: [
        "-sS",
        "-v",
        "-H",
        auth,
        "-F",
        `file=@${big}`,
        `${server.url}/voices/${voice.id}/samples`,
        // A second request on the same connection.
        "--next",
        "-sS",
        "-H",
        auth,
        `${server.url}/voices/${voice.id}/samples`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(curl.stdout);
    const log = new TextDecoder().decode(curl.stderr);
    assert.equal(curl.code, 0, log);
    assert.match(log, /Expect: 100-continue/, "curl asked to continue");
    assert.match(log, /Re-using existing connection|Reusing existing/, "kept alive");
    const [uploaded, listed] = out.split(/(?<=\})(?=\{)/).map((part) => JSON.parse(part));
    assert.equal(uploaded.size_bytes, (await Deno.stat(big)).size, "every byte arrived");
    assert.deepEqual(listed.samples.map((s: { id: string }) => s.id), [uploaded.id]);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve: prints a one-time dashboard link at start, as Jupyter does", () =>
  withServer(async (s) => {
    const line = await waitUntil("the dashboard line", () => /dashboard: (\S+)/.exec(s.stdout()));
    const link = new URL(line[1]);
    assert.equal(link.origin, s.url);
    assert.equal(link.pathname, "/ui/login");
    assert.match(link.searchParams.get("code")!, /^[0-9a-f]{32}$/);
    assert.doesNotMatch(s.stdout(), new RegExp(s.token), "the API token is never printed");
    assert.match(s.stdout(), /later: `nobody ui --open`/);
    const first = await fetch(link, { redirect: "manual" });
    assert.equal(first.status, 303);
    assert.match(first.headers.get("set-cookie") ?? "", /HttpOnly/i);
    await first.body?.cancel();
    const again = await fetch(link, { redirect: "manual" });
    assert.equal(again.status, 401, "the link signs in once");
    await again.body?.cancel();
  }));
