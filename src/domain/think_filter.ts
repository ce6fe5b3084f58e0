/**
 * @module
 * Removes a reasoning model's `<think>...</think>` text from a token stream (deepseek-r1 and
 * qwen3 put it in the content on servers that do not separate it), so reasoning is never spoken.
 * Tags may be split across tokens.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ThinkFilter } from "./think_filter.ts";
 * const filter = new ThinkFilter();
 * const said = ["<thi", "nk>the user wants a joke</th", "ink>Why did", " the chicken..."].map((t) => filter.push(t));
 * assert.equal(said.join(""), "Why did the chicken...");
 * ```
 */

const OPEN = "<think>";
const CLOSE = "</think>";

export class ThinkFilter {
  #thinking = false;
  /** Text held back because it may be the start of a tag. */
  #held = "";

  /** The part of `token` that is answer, not reasoning. */
  push(token: string): string {
    let text = this.#held + token;
    this.#held = "";
    let out = "";
    while (text) {
      const tag = this.#thinking ? CLOSE : OPEN;
      const at = text.indexOf(tag);
      if (at !== -1) {
        if (!this.#thinking) out += text.slice(0, at);
        text = text.slice(at + tag.length);
        this.#thinking = !this.#thinking;
        continue;
      }
      // Keep back a tail that could begin the tag, until the next token settles it.
      const keep = partialTag(text, tag);
      if (!this.#thinking) out += text.slice(0, text.length - keep);
      this.#held = text.slice(text.length - keep);
      break;
    }
    return out;
  }

  /** What is left at the end of the stream (an unfinished tag was just text). */
  flush(): string {
    const rest = this.#thinking ? "" : this.#held;
    this.#held = "";
    return rest;
  }
}

/** The length of the longest suffix of `text` that is a prefix of `tag`. */
function partialTag(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
