/**
 * @module
 * OpenAI's chat completions API and everything compatible with it (RedPill, llama.cpp server,
 * vLLM, LM Studio): POST /chat/completions with stream: true answers server-sent events whose
 * data is `{ choices: [{ delta: { content } }] }`, ending with `data: [DONE]`.
 */
import { NobodyError } from "../../domain/errors.ts";
import type { ChatOptions, LlmMessage, LlmProvider } from "../../ports/llm_provider.ts";
import { postStream, streamEndedEarly } from "./http_stream.ts";
import { sseEvents } from "./sse_events.ts";

export interface OpenAiCompatibleOptions {
  /** The provider's name in error messages. */
  readonly name: string;
  readonly baseUrl: string;
  /** Never logged; null for local servers that need none. */
  readonly apiKey: string | null;
  readonly firstByteTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

export class OpenAiCompatibleProvider implements LlmProvider {
  readonly #options: OpenAiCompatibleOptions;

  constructor(options: OpenAiCompatibleOptions) {
    this.#options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, "") };
  }

  async *chat(messages: readonly LlmMessage[], options: ChatOptions): AsyncIterable<string> {
    const { name, baseUrl, apiKey } = this.#options;
    const body = await postStream(`${baseUrl}/chat/completions`, {
      model: options.model,
      messages,
      stream: true,
      ...(options.temperature != null ? { temperature: options.temperature } : {}),
    }, {
      provider: name,
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: options.signal,
      firstByteTimeoutMs: this.#options.firstByteTimeoutMs,
      idleTimeoutMs: this.#options.idleTimeoutMs,
    });
    for await (const message of sseEvents(body, { provider: name, signal: options.signal })) {
      const data = message.data.trim();
      if (data === "[DONE]") return;
      if (message.event === "error") {
        throw new NobodyError("unavailable", `${name}: ${data.slice(0, 300)}`);
      }
      let event: {
        choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
        error?: { message?: string };
      };
      try {
        event = JSON.parse(data);
      } catch {
        throw new NobodyError(
          "unavailable",
          `${name} sent an event that is not JSON: ${data.slice(0, 100)}`,
        );
      }
      if (event.error) {
        throw new NobodyError("unavailable", `${name}: ${event.error.message ?? "error"}`);
      }
      const text = event.choices?.[0]?.delta?.content;
      if (text) yield text;
    }
    throw streamEndedEarly(name);
  }
}
