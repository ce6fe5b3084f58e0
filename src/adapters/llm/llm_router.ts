/**
 * @module
 * Picks the provider a persona names, with the configured URLs and keys.
 */
import { NobodyError } from "../../domain/errors.ts";
import type { LlmSettings } from "../../domain/persona.ts";
import type { LlmProvider } from "../../ports/llm_provider.ts";
import { OllamaProvider } from "./ollama.ts";
import { OpenAiCompatibleProvider } from "./openai_compatible.ts";

export interface LlmEndpoints {
  readonly ollamaUrl: string;
  readonly openaiBaseUrl: string;
  readonly openaiApiKey: string | null;
  readonly redpillBaseUrl: string;
  readonly redpillApiKey: string | null;
  readonly firstTokenTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

export function providerFor(settings: LlmSettings, endpoints: LlmEndpoints): LlmProvider {
  switch (settings.provider) {
    case "ollama":
      return new OllamaProvider({
        baseUrl: settings.baseUrl ?? endpoints.ollamaUrl,
        ...limits(endpoints),
      });
    case "openai":
      return keyed(settings, endpoints, {
        name: "OpenAI",
        baseUrl: endpoints.openaiBaseUrl,
        apiKey: endpoints.openaiApiKey,
        where: "OPENAI_API_KEY or llm.openai_api_key",
      });
    case "redpill":
      return keyed(settings, endpoints, {
        name: "RedPill",
        baseUrl: endpoints.redpillBaseUrl,
        apiKey: endpoints.redpillApiKey,
        where: "REDPILL_API_KEY or llm.redpill_api_key",
      });
    case "openai_compatible":
      return new OpenAiCompatibleProvider({
        name: `the model server at ${settings.baseUrl}`,
        baseUrl: settings.baseUrl!,
        // Keys live only in the config, named per provider; a self-hosted server takes none.
        apiKey: null,
        ...limits(endpoints),
      });
    default: {
      const unreachable: never = settings.provider;
      throw new NobodyError("invalid_request", `unknown LLM provider ${unreachable}`);
    }
  }
}

/**
 * A configured key goes only to its configured base URL: anything holding the API token can edit
 * a persona, and a persona naming another URL must not collect the user's paid key. Such a
 * persona talks to its own server without a key.
 */
function limits(endpoints: LlmEndpoints) {
  return {
    firstByteTimeoutMs: endpoints.firstTokenTimeoutMs,
    idleTimeoutMs: endpoints.idleTimeoutMs,
  };
}

function keyed(
  settings: LlmSettings,
  endpoints: LlmEndpoints,
  configured: { name: string; baseUrl: string; apiKey: string | null; where: string },
): LlmProvider {
  const own = settings.baseUrl !== null &&
    normalizeUrl(settings.baseUrl) !== normalizeUrl(configured.baseUrl);
  if (own) {
    return new OpenAiCompatibleProvider({
      name: `the model server at ${settings.baseUrl}`,
      baseUrl: settings.baseUrl!,
      apiKey: null,
      ...limits(endpoints),
    });
  }
  if (!configured.apiKey) {
    throw new NobodyError(
      "invalid_request",
      `${configured.name} needs an API key: set ${configured.where}`,
    );
  }
  return new OpenAiCompatibleProvider({
    name: configured.name,
    baseUrl: configured.baseUrl,
    apiKey: configured.apiKey,
    ...limits(endpoints),
  });
}

function normalizeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
  } catch {
    return url;
  }
}
