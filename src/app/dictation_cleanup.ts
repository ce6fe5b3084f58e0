/**
 * @module
 * Dictation's optional tidy-up: one request to the persona's model that fixes punctuation,
 * capitals and filler words and changes nothing else. Off by default: a raw transcript is faster
 * and never reworded.
 */
import type { LlmSettings } from "../domain/persona.ts";
import { ThinkFilter } from "../domain/think_filter.ts";
import type { LlmProvider } from "../ports/llm_provider.ts";

export const CLEANUP_PROMPT =
  "You clean up dictated text. Fix punctuation and capitalization, and remove filler words " +
  "(um, uh, you know) and false starts. Do not add, answer, translate or reword anything. " +
  "Reply with the cleaned text only.";

export async function tidyDictation(
  llm: LlmProvider,
  settings: LlmSettings,
  transcript: string,
  options: { signal?: AbortSignal; onToken?: () => void } = {},
): Promise<string> {
  const thinking = new ThinkFilter();
  let text = "";
  for await (
    const token of llm.chat([
      { role: "system", content: CLEANUP_PROMPT },
      { role: "user", content: transcript },
    ], {
      model: settings.model,
      temperature: 0,
      think: false,
      signal: options.signal,
    })
  ) {
    options.onToken?.();
    text += thinking.push(token);
  }
  return (text + thinking.flush()).trim();
}
