/**
 * @module
 * One short completion against a persona's model settings, timed: the dashboard's "Test" button
 * answers "does this model answer, and how soon does it start" before the persona is saved.
 */
import { NobodyError } from "../domain/errors.ts";
import type { LlmSettings } from "../domain/persona.ts";
import type { LlmProvider } from "../ports/llm_provider.ts";

export interface ModelCheck {
  /** From the request to the first token of the reply. */
  readonly firstTokenMs: number;
  readonly totalMs: number;
  readonly reply: string;
}

/** A local model may have to load first (Ollama takes tens of seconds for a big one). */
const CHECK_TIMEOUT_MS = 120_000;
/** Enough of the reply to show that it speaks; the rest is not waited for. */
const ENOUGH_CHARS = 160;

export async function checkModel(
  llm: LlmProvider,
  settings: LlmSettings,
  options: { now: () => number; signal?: AbortSignal; timeoutMs?: number },
): Promise<ModelCheck> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? CHECK_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const done = new AbortController();
  const start = options.now();
  let first = 0;
  let reply = "";
  try {
    for await (
      const token of llm.chat([
        { role: "system", content: "Answer in one short sentence." },
        { role: "user", content: "Say hello." },
      ], {
        model: settings.model,
        temperature: settings.temperature,
        think: settings.think,
        signal: AbortSignal.any([signal, done.signal]),
      })
    ) {
      first ||= options.now();
      reply += token;
      if (reply.length >= ENOUGH_CHARS) {
        done.abort();
        break;
      }
    }
  } catch (error) {
    if (timeout.aborted) {
      throw new NobodyError(
        "unavailable",
        `model "${settings.model}" did not answer within ${
          Math.round((options.timeoutMs ?? CHECK_TIMEOUT_MS) / 1000)
        } s`,
      );
    }
    if (!done.signal.aborted) throw error;
  }
  if (!first) {
    throw new NobodyError("unavailable", `model "${settings.model}" answered with no text`);
  }
  return { firstTokenMs: first - start, totalMs: options.now() - start, reply: reply.trim() };
}
