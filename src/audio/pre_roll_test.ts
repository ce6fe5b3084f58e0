import assert from "node:assert/strict";
import { PreRoll } from "./pre_roll.ts";

Deno.test("PreRoll keeps the newest samples in order and empties on take", () => {
  const roll = new PreRoll(5);
  roll.push(Float32Array.of(1, 2));
  assert.deepEqual([...roll.take()], [1, 2]);
  assert.deepEqual([...roll.take()], []);
  roll.push(Float32Array.of(1, 2, 3));
  roll.push(Float32Array.of(4, 5, 6, 7));
  assert.deepEqual([...roll.take()], [3, 4, 5, 6, 7]);
  roll.push(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  assert.deepEqual([...roll.take()], [4, 5, 6, 7, 8]);
});
