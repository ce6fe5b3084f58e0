import assert from "node:assert/strict";
import { SentenceSplitter } from "./sentences.ts";

function split(tokens: string[], options?: ConstructorParameters<typeof SentenceSplitter>[0]) {
  const splitter = new SentenceSplitter(options);
  const out: string[][] = tokens.map((t) => splitter.push(t));
  return { steps: out, rest: splitter.flush() };
}

Deno.test("SentenceSplitter emits each sentence as soon as the next one starts", () => {
  const { steps, rest } = split(["Hello there", "! How are", " you today? I am", " fine."]);
  assert.deepEqual(steps, [[], ["Hello there!"], ["How are you today?"], []]);
  assert.deepEqual(rest, ["I am fine."]);
});

Deno.test("SentenceSplitter lets the first chunk end at a clause for an early first audio", () => {
  const { steps, rest } = split([
    "Well, that is a really good question, and",
    " the answer is yes. Then, more.",
  ]);
  assert.deepEqual(steps, [["Well, that is a really good question,"], ["and the answer is yes."]]);
  assert.deepEqual(rest, ["Then, more."]);
});

Deno.test("SentenceSplitter keeps short fragments with the next sentence and splits on newlines", () => {
  const { steps, rest } = split(["Dr. Smith is here. ", "Okay.\nNext line\n", "last"]);
  assert.deepEqual(steps, [["Dr. Smith is here."], ["Okay.\nNext line"], []]);
  assert.deepEqual(rest, ["last"]);
});

Deno.test("SentenceSplitter returns nothing for empty or blank streams", () => {
  assert.deepEqual(split(["", "  "]), { steps: [[], []], rest: [] });
});

// Review mutant: the first-clause rule applied to every sentence, which chops later sentences at
// commas (choppy speech) instead of only hurrying the first audio.
Deno.test("SentenceSplitter cuts at a clause only for the first chunk", () => {
  const splitter = new SentenceSplitter();
  const first = splitter.push("Well, that is a very good question, and here is the answer: ");
  assert.deepEqual(first, ["Well, that is a very good question,"]);
  const later = splitter.push("the second part goes on, with commas, and clauses; all of it ");
  assert.deepEqual(later, [], "later text waits for the end of its sentence");
  assert.deepEqual(splitter.push("here. Next"), [
    "and here is the answer: the second part goes on, with commas, and clauses; all of it here.",
  ]);
});
