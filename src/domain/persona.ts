/**
 * @module
 * Personas: who the assistant is (system prompt), which LLM speaks for it and in which voice.
 */
import {
  asObject,
  type Fields,
  oneOf,
  onlyKnown,
  optionalNumber,
  optionalText,
  text,
} from "./fields.ts";
import { isId } from "./ids.ts";
import { fail, ok, type Result } from "./result.ts";

export const LLM_PROVIDERS = ["ollama", "openai", "redpill", "openai_compatible"] as const;
export type LlmProviderName = typeof LLM_PROVIDERS[number];

export interface LlmSettings {
  readonly provider: LlmProviderName;
  readonly model: string;
  /** Required for openai_compatible; overrides the configured URL for the others. */
  readonly baseUrl: string | null;
  readonly temperature: number | null;
  /**
   * Whether a reasoning model (qwen3, deepseek-r1) thinks before it answers; false answers at
   * once. Null leaves it to the model. Reasoning text is never spoken either way.
   */
  readonly think: boolean | null;
}

export interface Persona {
  readonly id: string;
  readonly name: string;
  readonly systemPrompt: string;
  readonly llm: LlmSettings;
  readonly voiceId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface PersonaInput {
  readonly name: string;
  readonly systemPrompt: string;
  readonly llm: LlmSettings;
  readonly voiceId: string | null;
}

const PERSONA_FIELDS = ["name", "systemPrompt", "llm", "voiceId"] as const;
const LLM_FIELDS = ["provider", "model", "baseUrl", "temperature", "think"] as const;

/** Validates a full persona (POST and PUT both send every field; optional ones default). */
export function parsePersonaInput(body: unknown): Result<PersonaInput> {
  const object = asObject(body, "persona");
  if (!object.ok) return object;
  const known = onlyKnown(object.value, PERSONA_FIELDS, "persona");
  if (!known.ok) return known;
  const fields = known.value;

  const name = text(fields, "name", { min: 1, max: 80 });
  if (!name.ok) return name;
  const systemPrompt = optionalText(fields, "systemPrompt", { max: 20_000, trim: false }, "");
  if (!systemPrompt.ok) return systemPrompt;
  const llm = parseLlm(fields.llm);
  if (!llm.ok) return llm;
  const voiceId = fields.voiceId ?? null;
  if (voiceId !== null && !isId("voice", voiceId)) {
    return fail("invalid_request", `"voice_id" must be a voice id or null`);
  }
  return ok({ name: name.value, systemPrompt: systemPrompt.value, llm: llm.value, voiceId });
}

/** The `llm` object of a persona, alone: for trying a model before saving it. */
export function parseLlm(body: unknown): Result<LlmSettings> {
  const object = asObject(body, `"llm"`);
  if (!object.ok) return object;
  const known = onlyKnown(object.value, LLM_FIELDS, `"llm"`);
  if (!known.ok) return known;
  return llmFields(known.value);
}

function llmFields(fields: Fields): Result<LlmSettings> {
  const provider = oneOf(fields, "provider", LLM_PROVIDERS);
  if (!provider.ok) return provider;
  const model = text(fields, "model", { min: 1, max: 200 });
  if (!model.ok) return model;
  const temperature = optionalNumber(fields, "temperature", { min: 0, max: 2 });
  if (!temperature.ok) return temperature;
  const baseUrl = parseBaseUrl(fields.baseUrl);
  if (!baseUrl.ok) return baseUrl;
  const think = fields.think ?? null;
  if (think !== null && typeof think !== "boolean") {
    return fail("invalid_request", `"llm.think" must be true, false or null`);
  }
  if (provider.value === "openai_compatible" && baseUrl.value === null) {
    return fail("invalid_request", `"llm.base_url" is required for provider openai_compatible`);
  }
  return ok({
    provider: provider.value,
    model: model.value,
    baseUrl: baseUrl.value,
    temperature: temperature.value,
    think,
  });
}

function parseBaseUrl(value: unknown): Result<string | null> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value === "string" && value.length <= 2_000 && URL.canParse(value)) {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") {
      return ok(url.href.replace(/\/+$/, ""));
    }
  }
  return fail("invalid_request", `"llm.base_url" must be an http or https URL`);
}
