import assert from "node:assert/strict";
import { verdict } from "./summary.ts";

Deno.test("verdict() compares the first number of a figure with its goal", () => {
  assert.equal(verdict("71.2 / 120.0", "<= 300"), "met");
  assert.equal(verdict("7012.0 / 7100.0", "<= 2000"), "missed");
  assert.equal(verdict("3300", ">= 1000"), "met");
  assert.equal(verdict("+12", "within 50"), "met");
  assert.equal(verdict("-61", "within 50"), "missed");
  assert.equal(verdict("0 / 0, 0", "0 / 0, 0"), "met");
  assert.equal(verdict("3 / 0, 0", "0 / 0, 0"), "missed");
  assert.equal(verdict("41.0", "report"), "–");
  assert.equal(verdict("n/a", "<= 5"), "missed");
});
