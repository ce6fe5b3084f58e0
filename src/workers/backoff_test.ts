import assert from "node:assert/strict";
import { backoffMs, DEFAULT_BACKOFF } from "./backoff.ts";

Deno.test("backoffMs() doubles from the initial delay up to the ceiling", () => {
  const delays = [0, 1, 2, 3, 4, 8, 20].map((n) => backoffMs(DEFAULT_BACKOFF, n));
  assert.deepEqual(delays, [0, 250, 500, 1_000, 2_000, 30_000, 30_000]);
});
