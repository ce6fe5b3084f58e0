import assert from "node:assert/strict";
import { gatedCloningNote, wordAccuracy } from "./engine_check.ts";
import type { WorkerStatus } from "../ports/worker_status.ts";

function tts(engineDetail: string, fallbacks: string[] = []): WorkerStatus {
  return {
    name: "tts",
    member: 0,
    poolSize: 1,
    activeCalls: 0,
    callsServed: 0,
    state: "ready",
    pid: 1,
    engine: "pocket",
    engineDetail,
    fallbacks,
    restarts: 0,
    lastError: null,
    readySince: 0,
  };
}

Deno.test("wordAccuracy() is 1 - word error rate, never below 0", () => {
  assert.equal(wordAccuracy("turn on the lights", "turn on the lights"), 1);
  assert.equal(wordAccuracy("turn on the lights", "turn the lights"), 0.75);
  assert.equal(wordAccuracy("turn on the lights", "Turn on, the lights!"), 1);
  assert.equal(wordAccuracy("on", "a b c d e"), 0);
});

Deno.test("gatedCloningNote() speaks up when Pocket TTS loaded without its cloning weights", () => {
  const note = gatedCloningNote([tts("pocket-tts (without voice cloning)")]);
  assert.match(note ?? "", /gated on Hugging Face.*huggingface-cli login.*never silently replaced/);
  assert.equal(gatedCloningNote([tts("pocket-tts (with voice cloning)")]), null);
  assert.equal(gatedCloningNote([tts("eSpeak NG 1.51", ["pocket: not installed"])]), null);
});

Deno.test("the engine check reads the pool member that is up, not one still starting", () => {
  const starting = { ...tts(""), member: 0, poolSize: 2, state: "starting" as const, engine: null };
  const up = { ...tts("pocket-tts (without voice cloning)"), member: 1, poolSize: 2 };
  assert.ok(gatedCloningNote([starting, up]));
});
