import assert from "node:assert/strict";
import { ThinkFilter } from "./think_filter.ts";

function run(tokens: string[]): string {
  const filter = new ThinkFilter();
  return tokens.map((t) => filter.push(t)).join("") + filter.flush();
}

// Defect: thinking models' reasoning text was spoken.
Deno.test("ThinkFilter drops <think> blocks, however the tokens split them", () => {
  const text = "<think>The user wants the time. I should be brief.</think>It is noon.";
  assert.equal(run([text]), "It is noon.");
  // Every split point, including inside both tags.
  for (let i = 1; i < text.length; i++) {
    assert.equal(run([text.slice(0, i), text.slice(i)]), "It is noon.", `split at ${i}`);
  }
  assert.equal(run([..."<think>x</think>a<think>y</think>b"]), "ab");
});

Deno.test("ThinkFilter keeps text that only looks like a tag", () => {
  assert.equal(run(["1 < 2 and <thin", "king> is fine"]), "1 < 2 and <thinking> is fine");
  assert.equal(run(["ends with <thi"]), "ends with <thi");
  assert.equal(run(["plain"]), "plain");
});
