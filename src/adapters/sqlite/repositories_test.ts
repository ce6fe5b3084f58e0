import assert from "node:assert/strict";
import { openDatabase } from "./database.ts";
import { SqliteVoiceRepository } from "./sqlite_voice_repository.ts";
import { SqlitePersonaRepository } from "./sqlite_persona_repository.ts";
import { SqliteHistoryRepository } from "./sqlite_history_repository.ts";
import type { Voice, VoiceSample } from "../../domain/voice.ts";
import type { Persona } from "../../domain/persona.ts";

const id = (kind: string, n: number) =>
  `${kind}_${String(n).padStart(20, "a").replace(/\d/g, "b")}`;

const voice = (n: number, name = `Voice ${n}`): Voice => ({
  id: `voice_${"abcdefghij".repeat(2).slice(0, 19)}${"abcdefgh"[n]}`,
  name,
  description: "",
  status: "draft",
  createdAt: n,
  updatedAt: n,
});

const sample = (v: Voice, n: number, durationMs = 1000): VoiceSample => ({
  id: `sample_${"klmnopqrst".repeat(2).slice(0, 19)}${"abcdefgh"[n]}`,
  voiceId: v.id,
  fileName: "a.wav",
  format: "wav",
  sampleRate: 48_000,
  channels: 1,
  durationMs,
  sizeBytes: 100,
  createdAt: n,
  normalizedRate: null,
  quality: null,
  analysisError: null,
  transcript: null,
});

const persona = (n: number, voiceId: string | null): Persona => ({
  id: `persona_${"uvwxyzabcd".repeat(2).slice(0, 19)}${"abcdefgh"[n]}`,
  name: `Persona ${n}`,
  systemPrompt: "Be brief.",
  llm: { provider: "ollama", model: "llama3.2", baseUrl: null, temperature: 0.7, think: null },
  voiceId,
  createdAt: n,
  updatedAt: n,
});

function open() {
  const db = openDatabase(":memory:");
  return {
    db,
    voices: new SqliteVoiceRepository(db),
    personas: new SqlitePersonaRepository(db),
    history: new SqliteHistoryRepository(db),
  };
}

Deno.test("SqliteVoiceRepository stores voices and samples and deletes them together", () => {
  const { voices } = open();
  const a = voice(1);
  const b = voice(2);
  voices.insertVoice(a);
  voices.insertVoice(b);
  voices.insertSample(sample(a, 1, 4000));
  voices.insertSample(sample(a, 2, 6000));
  assert.deepEqual(voices.listVoices(), [a, b]);
  assert.deepEqual(voices.getVoice(a.id), a);
  assert.equal(voices.getVoice(id("voice", 9)), null);
  assert.deepEqual(voices.listSamples(a.id).map((s) => s.durationMs), [4000, 6000]);
  assert.deepEqual(voices.sampleTotals().get(a.id), { count: 2, totalMs: 10_000 });
  assert.equal(voices.sampleTotals().get(b.id), undefined);

  assert.ok(voices.setVoiceStatus(a.id, "training", 50));
  assert.equal(voices.getVoice(a.id)?.status, "training");
  assert.equal(voices.getVoice(a.id)?.updatedAt, 50);

  assert.ok(voices.deleteVoice(a.id));
  assert.equal(voices.getVoice(a.id), null);
  assert.deepEqual(voices.listSamples(a.id), [], "samples go with their voice");
  assert.equal(voices.deleteVoice(a.id), false);
});

Deno.test("SqliteVoiceRepository reports duplicate names and orphan samples as expected failures", () => {
  const { voices } = open();
  voices.insertVoice(voice(1, "Ada"));
  assert.throws(() => voices.insertVoice(voice(2, "ADA")), {
    code: "conflict",
    message: /"ADA" already exists/,
  });
  assert.throws(() => voices.insertSample(sample(voice(3), 1)), {
    code: "invalid_request",
    message: /does not exist/,
  });
  assert.equal(voices.listVoices().length, 1);
});

Deno.test("SqliteVoiceRepository deletes one sample at a time", () => {
  const { voices } = open();
  const a = voice(1);
  voices.insertVoice(a);
  voices.insertSample(sample(a, 1));
  assert.deepEqual(voices.getSample(a.id, sample(a, 1).id), sample(a, 1));
  assert.equal(voices.deleteSample(voice(2).id, sample(a, 1).id), false, "the voice must match");
  assert.ok(voices.deleteSample(a.id, sample(a, 1).id));
  assert.equal(voices.getSample(a.id, sample(a, 1).id), null);
});

Deno.test("SqlitePersonaRepository round-trips personas and clears deleted voices", () => {
  const { voices, personas } = open();
  const v = voice(1);
  voices.insertVoice(v);
  const p = persona(1, v.id);
  personas.insertPersona(p);
  assert.deepEqual(personas.getPersona(p.id), p);

  const changed: Persona = {
    ...p,
    name: "Renamed",
    llm: { ...p.llm, temperature: null },
    updatedAt: 9,
  };
  assert.ok(personas.updatePersona(changed));
  assert.deepEqual(personas.getPersona(p.id), changed);
  assert.equal(personas.updatePersona(persona(2, null)), false);

  voices.deleteVoice(v.id);
  assert.equal(personas.getPersona(p.id)?.voiceId, null);

  assert.throws(() => personas.insertPersona({ ...persona(3, null), name: "renamed" }), {
    code: "conflict",
  });
  assert.throws(() => personas.insertPersona(persona(4, v.id)), {
    code: "invalid_request",
    message: /voice .* does not exist/,
  });
  assert.ok(personas.deletePersona(p.id));
  assert.deepEqual(personas.listPersonas(), []);
});

Deno.test("SqliteHistoryRepository keeps order, limits and clears per persona", () => {
  const { personas, history } = open();
  const p = persona(1, null);
  personas.insertPersona(p);
  history.append(p.id, [
    { role: "user", content: "one", at: 1 },
    { role: "assistant", content: "two", at: 2 },
    { role: "user", content: "three", at: 3 },
  ]);
  assert.deepEqual(history.recent(p.id, 2).messages.map((m) => m.content), ["two", "three"]);
  assert.equal(history.recent(p.id, 10).messages.length, 3);
  assert.throws(
    () => history.append(persona(2, null).id, [{ role: "user", content: "x", at: 1 }]),
    {
      code: "invalid_request",
    },
  );
  assert.equal(history.clear(p.id), 3);
  personas.deletePersona(p.id);
  assert.deepEqual(history.recent(p.id, 10).messages, []);
});
