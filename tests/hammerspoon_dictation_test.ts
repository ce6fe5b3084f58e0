/**
 * The Spoon's dictation key, its own Lua under plain Lua with the `hs` stand-in, against the real
 * service on headless audio devices whose microphone plays real human speech (the LibriVox reader
 * of pocketsphinx-testdata): hold the key and the text is pasted with the clipboard put back; a
 * double tap dictates until the next tap; a lone tap records nothing.
 */
import assert from "node:assert/strict";
import { headlessAudio, toS16 } from "./helpers/alsa.ts";
import { startServer } from "./helpers/server_process.ts";
import { runSpoon } from "./helpers/hammerspoon/run.ts";
import { clipAt, speechCorpus, wordErrors } from "./helpers/speech_corpus.ts";

const RATE = 48_000;

const clip = (await speechCorpus()).find((s) => s.id === "librivox")!.clips[0];

const speech = () => clipAt(clip.path, RATE);

async function dictate(mode: "hold" | "double", leadSeconds: number) {
  const dir = await Deno.makeTempDir({ prefix: "nobody-spoon-dictate-" });
  try {
    const audio = await headlessAudio(dir, { clocked: true });
    const words = await speech();
    const mic = new Float32Array(Math.round(RATE * leadSeconds) + words.length + RATE * 3);
    mic.set(words, Math.round(RATE * leadSeconds));
    await Deno.writeFile(audio.micFile, toS16(mic));
    const server = await startServer(`${dir}/data`, [], { ...audio.env, NOBODY_WORKERS: "true" });
    try {
      const hold = (words.length / RATE + 0.6).toFixed(2);
      return await runSpoon("run_dictation", [mode, hold], { NOBODY_DATA_DIR: `${dir}/data` });
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function assertPasted(result: { typed: string[]; keystrokes: unknown; clipboard: string }) {
  assert.equal(result.typed.length, 1, `typed: ${JSON.stringify(result.typed)}`);
  const [text] = result.typed;
  const { errors, words } = wordErrors(clip.text, text);
  assert.ok(errors / words <= 0.5, `"${text}" for "${clip.text}"`);
  // Pasted with cmd+v while the clipboard held the text, then the clipboard was put back.
  assert.deepEqual(result.keystrokes, [{ keys: "cmd+v", clipboard: text }]);
  assert.equal(result.clipboard, "what the user had copied");
}

Deno.test("hammerspoon: holding the dictation key pastes the text of real speech into the app", async () => {
  const result = await dictate("hold", 0.3);
  assertPasted(result);
  assert.deepEqual(result.titles, ["✎"], "the menu bar says dictating");
  const stops = result.requests.filter((r: string) => r.endsWith("/stop_recording?wait=true"));
  assert.equal(stops.length, 1);
  assert.deepEqual(result.warnings, {});
  assert.equal(result.final, "idle");
});

Deno.test("hammerspoon: a double tap dictates until the next tap; a lone tap records nothing", async () => {
  const result = await dictate("double", 0.9);
  assertPasted(result);
  assert.equal(result.titles[0], "idle", "the lone tap was cancelled");
  assert.equal(result.titles[1], "✎");
  const commands = result.requests.map((r: string) => r.replace(/session_\w+/, "S"));
  assert.deepEqual(commands.filter((r: string) => r.startsWith("POST /sessions/S/")), [
    "POST /sessions/S/start_recording",
    "POST /sessions/S/cancel",
    "POST /sessions/S/start_recording",
    "POST /sessions/S/stop_recording?wait=true",
  ]);
});
