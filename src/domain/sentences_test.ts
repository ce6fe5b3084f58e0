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
