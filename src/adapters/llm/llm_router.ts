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
}

export function providerFor(settings: LlmSettings, endpoints: LlmEndpoints): LlmProvider {
  switch (settings.provider) {
    case "ollama":
      return new OllamaProvider({ baseUrl: settings.baseUrl ?? endpoints.ollamaUrl });
    case "openai":
      return new OpenAiCompatibleProvider({
        name: "OpenAI",
        baseUrl: settings.baseUrl ?? endpoints.openaiBaseUrl,
        apiKey: required(endpoints.openaiApiKey, "OpenAI", "OPENAI_API_KEY or llm.openai_api_key"),
      });
    case "redpill":
      return new OpenAiCompatibleProvider({
        name: "RedPill",
        baseUrl: settings.baseUrl ?? endpoints.redpillBaseUrl,
        apiKey: required(
          endpoints.redpillApiKey,
          "RedPill",
          "REDPILL_API_KEY or llm.redpill_api_key",
        ),
      });
    case "openai_compatible":
      return new OpenAiCompatibleProvider({
        name: `the model server at ${settings.baseUrl}`,
        baseUrl: settings.baseUrl!,
        // Keys live only in the config, named per provider; a self-hosted server takes none.
        apiKey: null,
      });
    default: {
      const unreachable: never = settings.provider;
      throw new NobodyError("invalid_request", `unknown LLM provider ${unreachable}`);
    }
  }
}

function required(key: string | null, provider: string, where: string): string {
  if (!key) throw new NobodyError("invalid_request", `${provider} needs an API key: set ${where}`);
  return key;
}
