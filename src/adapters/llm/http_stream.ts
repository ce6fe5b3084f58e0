/**
 * @module
 * The HTTP side every streaming LLM provider shares: a POST with a first-byte timeout, provider
 * errors turned into clear typed errors, and the body read line by line.
 */
import { NobodyError } from "../../domain/errors.ts";
import { AsyncQueue } from "../../lib/async_queue.ts";

/** A local model may load for a while before its first token; a remote one answers sooner. */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 60_000;

export interface PostOptions {
  readonly provider: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  readonly firstByteTimeoutMs?: number;
}

export async function postStream(
  url: string,
  body: unknown,
  options: PostOptions,
): Promise<ReadableStream<Uint8Array>> {
  const timeout = AbortSignal.timeout(options.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new NobodyError(
        "unavailable",
        `${options.provider} did not answer within ${
          options.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS
        } ms`,
      );
    }
    throw new NobodyError(
      "unavailable",
      `cannot reach ${options.provider} at ${new URL(url).origin}: ${(error as Error).message}`,
    );
  }
  if (!response.ok || !response.body) {
    const detail = await errorDetail(response);
    const code = response.status >= 500 || response.status === 429
      ? "unavailable"
      : "invalid_request";
    throw new NobodyError(code, `${options.provider} answered ${response.status}: ${detail}`);
  }
  return response.body;
}

async function errorDetail(response: Response): Promise<string> {
  const text = (await response.text().catch(() => "")).slice(0, 500);
  try {
    const json = JSON.parse(text);
    const message = json?.error?.message ?? json?.error ?? json?.message;
    if (typeof message === "string") return message;
  } catch {
    // not JSON
  }
  return text || response.statusText;
}

/**
 * Yields the body's lines. The body is drained eagerly into a queue: when a connection drops, the
 * stream discards chunks not yet read, so a slow consumer would lose text that had arrived.
 */
export function lines(
  body: ReadableStream<Uint8Array>,
  options: { provider: string; signal?: AbortSignal },
): AsyncIterable<string> {
  const reader = body.getReader();
  const queue = new AsyncQueue<string>({ onReturn: () => reader.cancel().catch(() => {}) });
  const decoder = new TextDecoder();
  let buffer = "";
  const pump = async () => {
    try {
      while (true) {
        const next = await reader.read();
        if (next.done) break;
        buffer += decoder.decode(next.value, { stream: true });
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        for (const part of parts) queue.push(part.replace(/\r$/, ""));
      }
      buffer += decoder.decode();
      if (buffer) queue.push(buffer);
      queue.end();
    } catch (error) {
      queue.fail(
        options.signal?.aborted ? options.signal.reason : new NobodyError(
          "unavailable",
          `${options.provider} stream broke off: ${(error as Error).message}`,
        ),
      );
    }
  };
  // The pump's outcome always lands in the queue, which the caller consumes.
  pump();
  return queue;
}

export function streamEndedEarly(provider: string): NobodyError {
  return new NobodyError("unavailable", `${provider} ended the reply before it was complete`);
}
