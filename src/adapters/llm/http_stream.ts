/**
 * @module
 * The HTTP side every streaming LLM provider shares: a POST with a time limit for the first
 * data and one for each silence after it (never one for the whole reply, which may run for
 * minutes), provider errors turned into clear typed errors, and the body read line by line.
 */
import { NobodyError } from "../../domain/errors.ts";
import { AsyncQueue } from "../../lib/async_queue.ts";

/** A local model may load for a while before its first token; a remote one answers sooner. */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 60_000;
/** Tokens come many times a second; half a minute of silence mid-reply is a stalled server. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export interface PostOptions {
  readonly provider: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** Until the first data of the reply. */
  readonly firstByteTimeoutMs?: number;
  /** Between two pieces of data after that. */
  readonly idleTimeoutMs?: number;
}

/** A reply stream, with its time limits: `progress` on every piece of data restarts the clock. */
export interface ReplyStream {
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array>;
  readonly signal: AbortSignal;
  progress(): void;
  done(): void;
}

/** The limits of one request: aborts its signal with a clear error when one is passed. */
class Limits {
  readonly #controller = new AbortController();
  readonly #provider: string;
  readonly #idleMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(provider: string, firstMs: number, idleMs: number) {
    this.#provider = provider;
    this.#idleMs = idleMs;
    this.#arm(firstMs, `${provider} did not start answering within ${firstMs} ms`);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  #arm(ms: number, message: string): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => this.#controller.abort(new NobodyError("unavailable", message)),
      ms,
    );
  }

  progress(): void {
    this.#arm(
      this.#idleMs,
      `${this.#provider} stopped sending its reply for ${this.#idleMs} ms`,
    );
  }

  done(): void {
    clearTimeout(this.#timer);
  }
}

/** Posts `body` as JSON, or as multipart when it is FormData. */
export async function postStream(
  url: string,
  body: unknown,
  options: PostOptions,
): Promise<ReplyStream> {
  const limits = new Limits(
    options.provider,
    options.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS,
    options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  );
  const timeout = limits.signal;
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    const form = body instanceof FormData;
    response = await fetch(url, {
      method: "POST",
      headers: form ? options.headers : { "content-type": "application/json", ...options.headers },
      body: form ? body : JSON.stringify(body),
      signal,
      // A redirect would carry the key and the user's words to wherever it points.
      redirect: "manual",
    });
  } catch (error) {
    limits.done();
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) throw timeout.reason;
    throw new NobodyError(
      "unavailable",
      `cannot reach ${options.provider} at ${new URL(url).origin}: ${(error as Error).message}`,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    limits.done();
    await response.body?.cancel();
    const location = response.headers.get("location") ?? "elsewhere";
    throw new NobodyError(
      "unavailable",
      `${options.provider} at ${
        new URL(url).origin
      } redirects to ${location}; set its URL to where it serves (a redirect is never followed, so the key stays with the server it is for)`,
    );
  }
  if (!response.ok || !response.body) {
    limits.done();
    const detail = await errorDetail(response);
    const code = response.status >= 500 || response.status === 429
      ? "unavailable"
      : "invalid_request";
    throw new NobodyError(code, `${options.provider} answered ${response.status}: ${detail}`);
  }
  return {
    headers: response.headers,
    body: response.body,
    signal,
    progress: () => limits.progress(),
    done: () => limits.done(),
  };
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
  stream: ReplyStream,
  options: { provider: string; signal?: AbortSignal },
): AsyncIterable<string> {
  const reader = stream.body.getReader();
  const queue = new AsyncQueue<string>({
    onReturn: () => {
      stream.done();
      reader.cancel().catch(() => {});
    },
  });
  const decoder = new TextDecoder();
  let buffer = "";
  // A limit or the caller's abort cancels the body itself: fetch's own abort of a body that is
  // already streaming does not always end the read.
  const cancel = () => reader.cancel().catch(() => {});
  stream.signal.addEventListener("abort", cancel, { once: true });
  const pump = async () => {
    try {
      while (true) {
        const next = await reader.read();
        if (stream.signal.aborted) throw stream.signal.reason;
        if (next.done) break;
        stream.progress();
        buffer += decoder.decode(next.value, { stream: true });
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        for (const part of parts) queue.push(part.replace(/\r$/, ""));
      }
      buffer += decoder.decode();
      if (buffer) queue.push(buffer);
      stream.done();
      queue.end();
    } catch (error) {
      stream.done();
      queue.fail(
        options.signal?.aborted
          ? options.signal.reason
          : stream.signal.aborted && stream.signal.reason instanceof NobodyError
          ? stream.signal.reason
          : new NobodyError(
            "unavailable",
            `${options.provider} stream broke off: ${(error as Error).message}`,
          ),
      );
    } finally {
      stream.signal.removeEventListener("abort", cancel);
    }
  };
  // The pump's outcome always lands in the queue, which the caller consumes.
  pump();
  return queue;
}

export function streamEndedEarly(provider: string): NobodyError {
  return new NobodyError("unavailable", `${provider} ended the reply before it was complete`);
}
