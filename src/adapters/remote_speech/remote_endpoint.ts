/**
 * @module
 * One remote OpenAI-compatible speech server (speaches, Kokoro-FastAPI, another nobody) as the
 * core uses it: posts with its key and time limits, and what /status says about it. The server
 * is asked whether it answers only when somebody looks at the status (never polled while idle).
 */
import { NobodyError } from "../../domain/errors.ts";
import type { RemoteEngineStatus } from "../../ports/engine_status.ts";
import { postStream, type ReplyStream } from "../llm/http_stream.ts";

export interface RemoteEndpointOptions {
  readonly kind: "stt" | "tts";
  /** The API base, like https://gpu.lan:8000/v1. */
  readonly url: string;
  readonly apiKey: string | null;
  readonly model: string;
  readonly timeoutMs: number;
  readonly now?: () => number;
}

const CHECK_TIMEOUT_MS = 2_000;
/** The dashboard refreshes its status every 5 s: one check serves a few refreshes. */
const CHECK_CACHE_MS = 10_000;

const NAMES = { stt: "the remote speech-to-text server", tts: "the remote text-to-speech server" };

export class RemoteEndpoint {
  readonly #options: RemoteEndpointOptions;
  readonly #now: () => number;
  #calls = 0;
  #failures = 0;
  #lastFailure: string | null = null;
  #check:
    | { at: number; result: Promise<{ ok: boolean; ms: number | null; error: string | null }> }
    | null = null;

  constructor(options: RemoteEndpointOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  get model(): string {
    return this.#options.model;
  }

  /** "the remote speech-to-text server at https://gpu.lan:8000", for error messages. */
  get name(): string {
    return `${NAMES[this.#options.kind]} at ${new URL(this.#options.url).origin}`;
  }

  #headers(): Record<string, string> {
    return this.#options.apiKey ? { authorization: `Bearer ${this.#options.apiKey}` } : {};
  }

  /** POSTs to `{url}/{path}`; a failure is a NobodyError that names the server. */
  async post(path: string, body: unknown, signal?: AbortSignal): Promise<ReplyStream> {
    this.#calls++;
    try {
      return await postStream(`${this.#options.url}/${path}`, body, {
        provider: this.name,
        headers: this.#headers(),
        signal,
        firstByteTimeoutMs: this.#options.timeoutMs,
        idleTimeoutMs: this.#options.timeoutMs,
      });
    } catch (error) {
      throw this.failed(error, signal);
    }
  }

  /** Counts a failed call and gives the error to throw: the caller's abort stays an abort. */
  failed(error: unknown, signal?: AbortSignal): unknown {
    if (signal?.aborted) return signal.reason;
    const typed = error instanceof NobodyError
      ? error
      : new NobodyError("unavailable", `${this.name} failed: ${String(error)}`, { cause: error });
    this.#failures++;
    this.#lastFailure = typed.message;
    return typed;
  }

  async status(): Promise<RemoteEngineStatus> {
    if (!this.#check || this.#now() - this.#check.at > CHECK_CACHE_MS) {
      this.#check = { at: this.#now(), result: this.#probe() };
    }
    const check = await this.#check.result;
    return {
      kind: this.#options.kind,
      provider: "openai",
      url: this.#options.url,
      model: this.#options.model,
      reachable: check.ok,
      checkMs: check.ms,
      error: check.error,
      calls: this.#calls,
      failures: this.#failures,
      lastFailure: this.#lastFailure,
    };
  }

  async #probe(): Promise<{ ok: boolean; ms: number | null; error: string | null }> {
    const started = this.#now();
    try {
      const response = await fetch(`${this.#options.url}/models`, {
        headers: this.#headers(),
        signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
        redirect: "manual",
      });
      await response.body?.cancel();
      const ms = Math.round(this.#now() - started);
      if (response.ok) return { ok: true, ms, error: null };
      const hint = response.status === 401 || response.status === 403 ? " (check its api_key)" : "";
      return { ok: false, ms, error: `GET /models answered ${response.status}${hint}` };
    } catch (error) {
      const reason = error instanceof DOMException && error.name === "TimeoutError"
        ? `no answer within ${CHECK_TIMEOUT_MS} ms`
        : error instanceof Error
        ? error.message
        : String(error);
      return { ok: false, ms: null, error: reason };
    }
  }
}
