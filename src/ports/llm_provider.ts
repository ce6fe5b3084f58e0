/**
 * @module
 * A streaming chat model.
 */

export interface LlmMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

export interface ChatOptions {
  readonly model: string;
  readonly temperature?: number | null;
  /** Ask a reasoning model to think first (true), answer at once (false), or leave it (null). */
  readonly think?: boolean | null;
  readonly signal?: AbortSignal;
}

export interface LlmProvider {
  /** Yields the reply's text as it is generated; rejects with a NobodyError on failure. */
  chat(messages: readonly LlmMessage[], options: ChatOptions): AsyncIterable<string>;
}
