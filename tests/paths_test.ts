/**
 * A checkout and a data dir under folders with spaces and non-ASCII characters, as on a Mac
 * ("Application Support"). Defect: paths came from `new URL(...).pathname`, so a space became
 * `%20`: the workers were not found and their PYTHONPATH was wrong.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { waitUntil } from "./helpers/wait.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

async function copyCheckout(to: string): Promise<void> {
  const listed = await new Deno.Command("git", {
    args: ["ls-files", "-z"],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  assert.equal(listed.code, 0);
  const files = new TextDecoder().decode(listed.stdout).split("\0").filter(Boolean);
  for (const file of files) {
    const target = `${to}/${file}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(`${ROOT}${file}`, target);
  }
}

Deno.test("paths: a checkout and data dir with spaces and non-ASCII names run the workers", async () => {
  const base = await Deno.makeTempDir({ prefix: "nobody paths-" });
  const source = `${base}/Application Support ü/nobody src`;
  const data = `${base}/Données de l'app/nobody data`;
  await copyCheckout(source);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${source}/main.ts`, "serve", "--port", "0", "--data-dir", data],
    env: { NO_COLOR: "1", NOBODY_WORKERS: "true" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  const draining = (async () => {
    while (true) {
      const { done, value } = await stderr.read();
      if (done) return;
      log = (log + value).slice(-20_000);
    }
  })();
  const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let seen = "";
    const url = await waitUntil("the service to listen", async () => {
      const { done, value } = await stdout.read();
      if (done) throw new Error(`the service exited: ${log}`);
      seen += value;
      return /listening on (http:\/\/\S+)/.exec(seen)?.[1];
    }, { ms: 60_000 });
    const token = (await Deno.readTextFile(`${data}/token`)).trim();
    const headers = { authorization: `Bearer ${token}` };
    const workers = await waitUntil("every worker to be ready", async () => {
      const status = await (await fetch(`${url}/status`, { headers })).json();
      const list = status.workers as { name: string; state: string }[];
      return list.length >= 3 && list.every((w) => w.state === "ready") ? list : undefined;
    }, { ms: 90_000, everyMs: 250 });
    // The service sizes its own pools here: one process or more of each engine.
    assert.deepEqual([...new Set(workers.map((w) => w.name))].sort(), ["stt", "trainer", "tts"]);
    const speech = await fetch(`${url}/v1/audio/speech`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        voice: "alloy",
        input: "hello there",
        response_format: "pcm",
      }),
    });
    assert.equal(speech.status, 200, await speech.clone().text());
    assert.ok((await speech.arrayBuffer()).byteLength > 4_800, "speech came back");
    assert.doesNotMatch(log, /%20|%C3/, "no URL-encoded path anywhere in the log");
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await stdout.cancel().catch(() => {});
    await draining.catch(() => {});
    await Deno.remove(base, { recursive: true });
  }
});
