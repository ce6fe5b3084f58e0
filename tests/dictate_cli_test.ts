/**
 * `nobody dictate` against the real service on headless clocked audio devices whose microphone
 * plays real human speech (the LibriVox reader): a pause ends it and the text is on stdout; Enter
 * ends it too; the device session is gone afterwards.
 */
import assert from "node:assert/strict";
import { headlessAudio, toS16 } from "./helpers/alsa.ts";
import { startServer } from "./helpers/server_process.ts";
import { clipAt, speechCorpus, wordErrors } from "./helpers/speech_corpus.ts";

const RATE = 48_000;
const clip = (await speechCorpus()).find((s) => s.id === "librivox")!.clips[1];

const speech = () => clipAt(clip.path, RATE);

Deno.test("cli: dictate prints the text of real speech when the speaker pauses, and on Enter", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nobody-dictate-" });
  try {
    const audio = await headlessAudio(dir, { clocked: true });
    const words = await speech();
    // A quiet room (low noise) around the sentence.
    const mic = Float32Array.from(
      { length: RATE + words.length + RATE * 4 },
      () => (Math.random() - 0.5) * 0.002,
    );
    mic.set(words, RATE);
    await Deno.writeFile(audio.micFile, toS16(mic));
    const env = { ...audio.env, NOBODY_DATA_DIR: `${dir}/data` };
    const server = await startServer(`${dir}/data`, [], { ...env, NOBODY_WORKERS: "true" });
    try {
      const run = async (enterAfterMs: number | null) => {
        const spawned = new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "--allow-all",
            new URL("../main.ts", import.meta.url).pathname,
            "dictate",
            "--silence",
            "800",
          ],
          env: { NO_COLOR: "1", ...env },
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const writer = spawned.stdin.getWriter();
        const enter = enterAfterMs === null ? undefined : setTimeout(() => {
          writer.write(new TextEncoder().encode("\n")).catch(() => {});
        }, enterAfterMs);
        const killer = setTimeout(() => spawned.kill("SIGKILL"), 60_000);
        const out = await spawned.output();
        clearTimeout(killer);
        clearTimeout(enter);
        await writer.close().catch(() => {});
        const decode = (b: Uint8Array) => new TextDecoder().decode(b);
        return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
      };

      const paused = await run(null);
      assert.equal(paused.code, 0, paused.stderr);
      assert.match(paused.stderr, /listening: speak, then press Enter or pause for 0\.8 s/);
      const { errors, words: n } = wordErrors(clip.text, paused.stdout);
      assert.ok(errors / n <= 0.5, `"${paused.stdout.trim()}" for "${clip.text}"`);
      assert.equal(paused.stdout.trim().split("\n").length, 1, "only the text on stdout");

      // Enter halfway through the sentence: what was said so far.
      const entered = await run(1_000 + words.length / RATE * 500);
      assert.equal(entered.code, 0, entered.stderr);
      assert.ok(entered.stdout.trim().length > 0);

      const sessions = await (await fetch(`${server.url}/sessions`, {
        headers: { authorization: `Bearer ${server.token}` },
      })).json();
      assert.deepEqual(sessions.sessions, [], "dictate ends its session");
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
