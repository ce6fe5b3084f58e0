import assert from "node:assert/strict";
import { parsePersonaInput } from "./persona.ts";

const valid = {
  name: "Ada",
  systemPrompt: "You are Ada.",
  llm: { provider: "ollama", model: "llama3.2" },
};

Deno.test("parsePersonaInput() accepts a minimal persona and fills defaults", () => {
  const result = parsePersonaInput(valid);
  assert.ok(result.ok);
  assert.deepEqual(result.value, {
    name: "Ada",
    systemPrompt: "You are Ada.",
    llm: { provider: "ollama", model: "llama3.2", baseUrl: null, temperature: null, think: null },
    voiceId: null,
  });
});

Deno.test("parsePersonaInput() normalizes the base URL", () => {
  const result = parsePersonaInput({
    ...valid,
    llm: { provider: "openai_compatible", model: "m", baseUrl: "http://127.0.0.1:8080/v1/" },
  });
  assert.ok(result.ok);
  assert.equal(result.value.llm.baseUrl, "http://127.0.0.1:8080/v1");
});

Deno.test("parsePersonaInput() names the field it rejects", () => {
  const cases: [unknown, RegExp][] = [
    ["persona", /persona must be a JSON object/],
    [{ ...valid, name: "" }, /"name" must not be empty/],
    [{ ...valid, llm: undefined }, /"llm" must be a JSON object/],
    [{ ...valid, llm: { provider: "skynet", model: "x" } }, /"provider" must be one of ollama/],
    [{ ...valid, llm: { provider: "ollama", model: "" } }, /"model" must not be empty/],
    [
      { ...valid, llm: { provider: "openai_compatible", model: "m" } },
      /"llm.base_url" is required/,
    ],
    [{ ...valid, llm: { ...valid.llm, baseUrl: "file:///etc" } }, /"llm.base_url" must be an http/],
    [{ ...valid, llm: { ...valid.llm, temperature: 3 } }, /"temperature" must be from 0 to 2/],
    [{ ...valid, llm: { ...valid.llm, tokens: 3 } }, /"llm" has unknown field "tokens"/],
    [{ ...valid, voiceId: "../x" }, /"voice_id" must be a voice id or null/],
    [{ ...valid, systemPrompt: 42 }, /"system_prompt" must be a string/],
  ];
  for (const [body, pattern] of cases) {
    const result = parsePersonaInput(body);
    assert.ok(!result.ok, JSON.stringify(body));
    assert.equal(result.error.code, "invalid_request");
    assert.match(result.error.message, pattern);
  }
});
