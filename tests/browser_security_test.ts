/**
 * The browser-facing defenses in real Chromium: a page on another origin (another port on the same
 * machine, the classic local attack) cannot read the API, cannot make it act with the dashboard's
 * cookie, and cannot open a session WebSocket; a rebinding host name gets 403.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { CHROMIUM } from "./helpers/browser.ts";
import { signInUrl, startServer } from "./helpers/server_process.ts";
import { SPEECH_WAV } from "./helpers/fixtures.ts";

function evilPage(api: string, sessionId: string): string {
  return `<!doctype html><meta charset="utf-8"><body><script>
window.results = (async () => {
  const out = {};
  try {
    const r = await fetch("${api}/voices", { credentials: "include" });
    out.read = "status " + r.status + " " + (await r.text()).slice(0, 80);
  } catch (e) { out.read = "blocked: " + e.name; }
  try {
    await fetch("${api}/voices", { method: "POST", mode: "no-cors", credentials: "include",
      headers: { "content-type": "text/plain" }, body: JSON.stringify({ name: "Pwned by fetch" }) });
    out.write = "sent";
  } catch (e) { out.write = "blocked: " + e.name; }
  out.socket = await new Promise((resolve) => {
    const ws = new WebSocket("${api.replace("http", "ws")}/ws/session/${sessionId}");
    ws.onopen = () => resolve("open");
    ws.onerror = () => resolve("refused");
  });
  const form = document.createElement("form");
  form.method = "POST";
  form.action = "${api}/voices";
  form.enctype = "text/plain";
  form.target = "sink";
  const input = document.createElement("input");
  input.name = '{"name":"Pwned by form","x":"';
  input.value = '"}';
  form.appendChild(input);
  const frame = document.createElement("iframe");
  frame.name = "sink";
  document.body.append(frame, form);
  await new Promise((resolve) => { frame.onload = resolve; form.submit(); });
  out.form = "submitted";
  return out;
})();
</script>`;
}

Deno.test("security in Chromium: another origin cannot read, write or open a WebSocket, even logged in", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(dir);
  const auth = { authorization: `Bearer ${server.token}`, "content-type": "application/json" };
  const session =
    await (await fetch(`${server.url}/sessions`, { method: "POST", headers: auth, body: "{}" }))
      .json();
  const evil = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response(evilPage(server.url, session.id), { headers: { "content-type": "text/html" } }),
  );
  const seen: { method: string; url: string; status: number }[] = [];
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--host-resolver-rules=MAP rebind.test 127.0.0.1"],
  });
  try {
    const page = await browser.newPage();
    page.on(
      "response",
      (r) => seen.push({ method: r.request().method(), url: r.url(), status: r.status() }),
    );
    // Logged into the dashboard: the cookie is sent to every port of 127.0.0.1 (same site).
    await page.goto(await signInUrl(server));
    const cookies = await page.context().cookies(server.url);
    assert.equal(cookies.length, 1);

    await page.goto(`http://127.0.0.1:${evil.addr.port}/`);
    const results = await page.evaluate("window.results") as Record<string, string>;
    assert.match(results.read, /^blocked: TypeError$/, "no CORS: the page cannot read the API");
    assert.equal(results.socket, "refused");
    assert.equal(results.form, "submitted");
    // The server refused the writes themselves (a no-cors POST and a form POST send anyway).
    const writes = seen.filter((r) =>
      r.method === "POST" && r.url.startsWith(`${server.url}/voices`)
    );
    assert.equal(writes.length, 2, JSON.stringify(writes));
    assert.deepEqual(writes.map((w) => w.status), [403, 403]);
    const voices = await (await fetch(`${server.url}/voices`, { headers: auth })).json();
    assert.deepEqual(voices.voices, [], "nothing was created");

    // DNS rebinding: a name that resolves to 127.0.0.1 is still not this service's host.
    const rebound = await page.goto(`http://rebind.test:${server.port}/ui/`);
    assert.equal(rebound?.status(), 403);
    const api = await page.goto(`http://rebind.test:${server.port}/voices`);
    assert.equal(api?.status(), 403);
    assert.match(await api!.text(), /forbidden_host/);
  } finally {
    await browser.close();
    await evil.shutdown();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

// Defects: the dashboard had no logout, and its cookie (a fixed hash of the token) worked
// forever; a sample whose analysis failed looked like any other.
Deno.test("dashboard in Chromium: an unanalyzed sample shows its reason, and Log out ends the cookie on the service", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    const link = await signInUrl(server);
    await page.goto(link);
    assert.equal(new URL(page.url()).pathname, "/ui/", "signed in, the code gone from the URL");
    const read = () => page.evaluate(async () => (await fetch("/voices")).status);
    assert.equal(await read(), 200);

    // While signed in: a sample the trainer could not analyze says so, with the reason.
    const auth = { authorization: `Bearer ${server.token}` };
    const voice = await (await fetch(`${server.url}/voices`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada" }),
    })).json();
    const form = new FormData();
    form.append("file", new File([await Deno.readFile(SPEECH_WAV)], "take.wav"));
    const uploaded = await fetch(`${server.url}/voices/${voice.id}/samples`, {
      method: "POST",
      headers: auth,
      body: form,
    });
    assert.equal(uploaded.status, 201);
    await uploaded.body?.cancel();
    await page.goto(`${server.url}/ui/#/voices/${voice.id}`);
    await page.getByText(
      /Unanalyzed: the voice trainer could not analyze it: the ML workers are disabled/,
    )
      .waitFor();

    const [cookie] = await page.context().cookies(server.url);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByText("Logged out.").waitFor();
    assert.equal(await read(), 401, "the browser is signed out");
    // The old cookie, replayed from elsewhere, is dead too.
    const replay = await fetch(`${server.url}/voices`, {
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    assert.equal(replay.status, 401);
    await replay.body?.cancel();
    // And the sign-in link cannot be used again.
    const again = await page.goto(link);
    assert.equal(again?.status(), 401);
  } finally {
    await browser.close();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
