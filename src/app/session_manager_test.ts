import assert from "node:assert/strict";
import { SessionManager } from "./session_manager.ts";
import type { SessionDeps } from "./session.ts";
import { workersOff } from "../adapters/workers_off.ts";
import type { SessionInput } from "../domain/session_input.ts";

function manager(options: { max?: number; idleMs?: number } = {}) {
  let now = 0;
  let n = 0;
  const engines = workersOff();
  const deps = {
    stt: engines.stt,
    tts: engines.tts,
    llm: () => {
      throw new Error("no LLM in this test");
    },
    history: { append: () => {}, recent: () => [], clear: () => {} },
    metrics: { record: () => {}, recent: () => [] },
    persona: () => null,
    voiceExists: () => true,
    publish: () => {},
    now: () => now,
    wallClock: () => now,
  } as unknown as SessionDeps;
  const sessions = new SessionManager({
    session: deps,
    ids: { next: () => `session_${String(n++).padStart(20, "a")}` },
    openDevices: () => Promise.reject(new Error("no devices")),
    maxSessions: options.max,
    idleTimeoutMs: options.idleMs,
    now: () => now,
  });
  return { sessions, advance: (ms: number) => now += ms };
}

const input: SessionInput = {
  personaId: null,
  voiceId: null,
  audio: "socket",
  sampleRate: 24_000,
  phrases: [],
  dictationPhrases: [],
  mode: "conversation",
  cleanup: false,
  endOfSpeechMs: null,
  handsFree: false,
  bargeInByVoice: false,
};

// Defect: sessions had no limit and never expired (10,500 made in 9 s, 840 MB).
Deno.test("SessionManager caps open sessions with too_many_requests", async () => {
  const { sessions } = manager({ max: 3 });
  for (let i = 0; i < 3; i++) await sessions.create(input);
  await assert.rejects(sessions.create(input), { code: "too_many_requests" });
  await sessions.delete(sessions.list()[0].id);
  await sessions.create(input);
  assert.equal(sessions.size, 3);
  await sessions.closeAll();
});

Deno.test("SessionManager expires idle sessions nobody uses, never held or recently used ones", async () => {
  const { sessions, advance } = manager({ idleMs: 1_000 });
  const idle = await sessions.create(input);
  const held = await sessions.create(input);
  const used = await sessions.create(input);
  const release = sessions.hold(held.id);
  advance(600);
  sessions.get(used.id); // a request keeps it alive
  advance(600);
  await sessions.create(input); // expiry runs when a session is made
  assert.throws(() => sessions.get(idle.id), { code: "not_found" });
  assert.equal(sessions.get(held.id), held, "a socket holds it");
  assert.equal(sessions.get(used.id), used, "used 600 ms ago");
  release();
  advance(1_001);
  await sessions.create(input);
  assert.throws(() => sessions.get(held.id), { code: "not_found" }, "released, then idle");
  await sessions.closeAll();
});
