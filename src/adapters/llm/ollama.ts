/**
 * @module
 * Ollama's native chat API: POST /api/chat with stream: true answers NDJSON, one object per line,
 * `{ message: { content }, done }`, ending with `done: true` (or `{ error }`).
 */
import { NobodyError } from "../../domain/errors.ts";
import type { ChatOptions, LlmMessage, LlmProvider } from "../../ports/llm_provider.ts";
import { lines, postStream, streamEndedEarly } from "./http_stream.ts";

export class OllamaProvider implements LlmProvider {
  readonly #baseUrl: string;
  readonly #firstByteTimeoutMs?: number;
  readonly #idleTimeoutMs?: number;

  constructor(options: { baseUrl: string; firstByteTimeoutMs?: number; idleTimeoutMs?: number }) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#firstByteTimeoutMs = options.firstByteTimeoutMs;
    this.#idleTimeoutMs = options.idleTimeoutMs;
  }

  async *chat(messages: readonly LlmMessage[], options: ChatOptions): AsyncIterable<string> {
    const body = await postStream(`${this.#baseUrl}/api/chat`, {
      model: options.model,
      messages,
      stream: true,
      ...(options.temperature != null ? { options: { temperature: options.temperature } } : {}),
      // Ollama's switch for reasoning models; their thinking comes in message.thinking, unread.
      ...(options.think != null ? { think: options.think } : {}),
    }, {
      provider: "Ollama",
      signal: options.signal,
      firstByteTimeoutMs: this.#firstByteTimeoutMs,
      idleTimeoutMs: this.#idleTimeoutMs,
    });
    for await (const line of lines(body, { provider: "Ollama", signal: options.signal })) {
      if (!line.trim()) continue;
      let event: { message?: { content?: string }; done?: boolean; error?: string };
      try {
        event = JSON.parse(line);
      } catch {
        throw new NobodyError(
          "unavailable",
          `Ollama sent a line that is not JSON: ${line.slice(0, 100)}`,
        );
      }
      if (event.error) throw new NobodyError("unavailable", `Ollama: ${event.error}`);
      const text = event.message?.content;
      if (text) yield text;
      if (event.done) return;
    }
    throw streamEndedEarly("Ollama");
  }
}
