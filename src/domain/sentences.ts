/**
 * @module
 * Splits streamed LLM text into sentences for TTS: each sentence goes to synthesis as soon as it
 * is complete. The first chunk may end at a clause boundary, so the first audio comes early.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SentenceSplitter } from "./sentences.ts";
 * const splitter = new SentenceSplitter();
 * // The unfinished sentence waits for more text.
 * assert.deepEqual(splitter.push("Sure, I can help with that. The weather "), ["Sure, I can help with that."]);
 * assert.deepEqual(splitter.push("is fine. "), ["The weather is fine."]);
 * ```
 */

export interface SentenceSplitterOptions {
  /** The first chunk may end at a comma, colon or semicolon once it is this long. */
  readonly firstClauseMinChars?: number;
  /** Sentences shorter than this wait for the next one (avoids "Dr." style fragments). */
  readonly minChars?: number;
}

const END = /[.!?…]+["')\]]*(?=\s)|\n+/g;
const CLAUSE = /[,;:](?=\s)/g;

export class SentenceSplitter {
  #buffer = "";
  #emitted = 0;
  readonly #firstClauseMinChars: number;
  readonly #minChars: number;

  constructor(options: SentenceSplitterOptions = {}) {
    this.#firstClauseMinChars = options.firstClauseMinChars ?? 24;
    this.#minChars = options.minChars ?? 12;
  }

  /** Adds streamed text; returns the sentences it completed. */
  push(text: string): string[] {
    this.#buffer += text;
    const out: string[] = [];
    while (true) {
      const cut = this.#nextCut();
      if (cut === -1) break;
      const sentence = this.#buffer.slice(0, cut).trim();
      this.#buffer = this.#buffer.slice(cut);
      if (sentence) {
        out.push(sentence);
        this.#emitted++;
      }
    }
    return out;
  }

  /** The text left at the end of the stream. */
  flush(): string[] {
    const rest = this.#buffer.trim();
    this.#buffer = "";
    if (!rest) return [];
    this.#emitted++;
    return [rest];
  }

  #nextCut(): number {
    for (const match of this.#buffer.matchAll(END)) {
      const cut = match.index + match[0].length;
      if (this.#buffer.slice(0, cut).trim().length >= this.#minChars) return cut;
    }
    if (this.#emitted === 0) {
      for (const match of this.#buffer.matchAll(CLAUSE)) {
        const cut = match.index + match[0].length;
        if (cut >= this.#firstClauseMinChars) return cut;
      }
    }
    return -1;
  }
}
