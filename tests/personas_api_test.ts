import assert from "node:assert/strict";
import { expectError, readyVoice, withCore } from "./helpers/core_harness.ts";

const ada = {
  name: "Ada",
  system_prompt: "You are Ada, brief and kind.",
  llm: { provider: "ollama", model: "llama3.2", temperature: 0.4 },
};

Deno.test("personas: full CRUD over REST", () =>
  withCore(async (h) => {
    const voice = await readyVoice(h, "Warm");
    const created = await h.json("/personas", "POST", { ...ada, voice_id: voice.id });
    assert.equal(created.status, 201);
    const persona = await created.json();
    assert.equal(created.headers.get("location"), `/personas/${persona.id}`);
    assert.deepEqual(persona.llm, {
      provider: "ollama",
      model: "llama3.2",
      base_url: null,
      temperature: 0.4,
      think: null,
    });
    assert.equal(persona.voice_id, voice.id);

    assert.deepEqual(await (await h.request(`/personas/${persona.id}`)).json(), persona);
    assert.deepEqual((await (await h.request("/personas")).json()).personas, [persona]);

    const replaced = await h.json(`/personas/${persona.id}`, "PUT", {
      name: "Ada 2",
      // The spelling before 0.2 (camelCase) is still read.
      llm: { provider: "openai_compatible", model: "qwen", baseUrl: "http://127.0.0.1:8080/v1" },
    });
    assert.equal(replaced.status, 200);
    const updated = await replaced.json();
    assert.equal(updated.name, "Ada 2");
    assert.equal(updated.system_prompt, "", "PUT replaces the whole persona");
    assert.equal(updated.voice_id, null);
    assert.equal(updated.created_at, persona.created_at);
    assert.ok(updated.updated_at >= persona.updated_at);

    assert.equal((await h.request(`/personas/${persona.id}`, { method: "DELETE" })).status, 204);
    await expectError(await h.request(`/personas/${persona.id}`), 404, "not_found");
    await expectError(await h.json(`/personas/${persona.id}`, "PUT", ada), 404, "not_found");
  }));

Deno.test("personas: validation names the field and nothing is stored", () =>
  withCore(async (h) => {
    const cases: [unknown, RegExp][] = [
      [{ ...ada, name: "" }, /"name" must not be empty/],
      [{ ...ada, llm: { provider: "gpt", model: "x" } }, /"provider" must be one of/],
      [{ ...ada, llm: { provider: "openai_compatible", model: "x" } }, /base_url" is required/],
      [{ ...ada, voiceId: "voice_aaaaaaaaaaaaaaaaaaaa" }, /voice voice_a+ does not exist/],
      [{ ...ada, voiceId: 12 }, /"voice_id" must be a voice id or null/],
      // The public spelling is snake_case; camelCase is still read (the spelling before 0.2).
      [{ ...ada, voice_id: 12 }, /"voice_id" must be a voice id or null/],
      [{ ...ada, mood: "happy" }, /unknown field "mood"/],
    ];
    for (const [body, pattern] of cases) {
      const error = await expectError(
        await h.json("/personas", "POST", body),
        400,
        "invalid_request",
      );
      assert.match(error.message, pattern);
    }
    await h.json("/personas", "POST", ada);
    await expectError(await h.json("/personas", "POST", { ...ada, name: "ADA" }), 409, "conflict");
    const [first] = (await (await h.request("/personas")).json()).personas;
    const second = await (await h.json("/personas", "POST", { ...ada, name: "Bob" })).json();
    await expectError(
      await h.json(`/personas/${second.id}`, "PUT", { ...ada, name: "ada" }),
      409,
      "conflict",
    );
    await expectError(await h.request("/personas/voice_aaaaaaaaaaaaaaaaaaaa"), 400, "invalid_id");
    const stored = (await (await h.request("/personas")).json()).personas;
    assert.deepEqual(stored.map((p: { name: string }) => p.name), ["Ada", "Bob"]);
    assert.equal(stored[0].id, first.id);
  }));

Deno.test("personas: a voice that cannot speak yet is refused when the persona is saved", () =>
  withCore(async (h) => {
    const draft = await (await h.json("/voices", "POST", { name: "Draft" })).json();
    // Before, this saved and only the first spoken turn said the voice was a draft.
    const refused = await expectError(
      await h.json("/personas", "POST", { ...ada, voice_id: draft.id }),
      400,
      "invalid_request",
    );
    assert.match(refused.message, /voice "Draft" is not trained yet: .*train it/);
    assert.deepEqual((await (await h.request("/personas")).json()).personas, []);

    const ready = await readyVoice(h, "Ready");
    const persona = await (await h.json("/personas", "POST", { ...ada, voice_id: ready.id }))
      .json();
    const moved = await expectError(
      await h.json(`/personas/${persona.id}`, "PUT", { ...ada, voice_id: draft.id }),
      400,
      "invalid_request",
    );
    assert.match(moved.message, /"Draft"/);
    assert.equal((await (await h.request(`/personas/${persona.id}`)).json()).voice_id, ready.id);
  }));
