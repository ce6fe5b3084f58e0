/**
 * Defect: REST bodies were snake_case in requests (sessions) and camelCase in responses, while
 * the WebSocket and the OpenAI routes were snake_case: one public API spoke two conventions.
 */
import assert from "node:assert/strict";
import { markReady, multipart, withCore } from "./helpers/core_harness.ts";
import { SPEECH_WAV } from "./helpers/fixtures.ts";

/** Every key below `value` that is not snake_case. */
function camelKeys(value: unknown, at = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => camelKeys(v, `${at}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(/[A-Z]/.test(k) ? [`${at}.${k}`] : []),
    ...camelKeys(v, `${at}.${k}`),
  ]);
}

Deno.test("api naming: every REST and event body uses snake_case keys", () =>
  withCore(async (h) => {
    const bodies: [string, unknown][] = [];
    const record = async (what: string, response: Response) => {
      const body = await response.json();
      bodies.push([what, body]);
      return body;
    };
    const voice = await record("POST /voices", await h.json("/voices", "POST", { name: "Ada" }));
    await record(
      "POST samples",
      await h.request(`/voices/${voice.id}/samples`, {
        method: "POST",
        body: multipart("file", await Deno.readFile(SPEECH_WAV), "a.wav"),
      }),
    );
    await record("GET /voices/{id}", await h.request(`/voices/${voice.id}`));
    await record("GET /voices", await h.request("/voices"));
    await record("GET samples", await h.request(`/voices/${voice.id}/samples`));
    markReady(h, voice.id); // a persona's voice must be trained
    const persona = await record(
      "POST /personas",
      await h.json("/personas", "POST", {
        name: "Bob",
        system_prompt: "Be brief.",
        llm: { provider: "ollama", model: "m", base_url: "http://127.0.0.1:11434" },
        voice_id: voice.id,
      }),
    );
    assert.equal(persona.system_prompt, "Be brief.", "snake_case requests are read");
    assert.equal(persona.llm.base_url, "http://127.0.0.1:11434");
    assert.equal(persona.voice_id, voice.id);
    await record(
      "POST /sessions",
      await h.json("/sessions", "POST", { persona_id: persona.id, sample_rate: 16_000 }),
    );
    await record("GET /sessions", await h.request("/sessions"));
    await record("GET /status", await h.request("/status"));
    await record("an error", await h.request("/voices/voice_aaaaaaaaaaaaaaaaaaaa"));
    for (const [what, body] of bodies) assert.deepEqual(camelKeys(body), [], what);
    assert.ok(bodies.length >= 10);
  }));
