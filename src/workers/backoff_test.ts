import assert from "node:assert/strict";
import { backoffMs, DEFAULT_BACKOFF, failuresAfter } from "./backoff.ts";

Deno.test("backoffMs() doubles from the initial delay up to the ceiling", () => {
  const delays = [0, 1, 2, 3, 4, 8, 20].map((n) => backoffMs(DEFAULT_BACKOFF, n));
  assert.deepEqual(delays, [0, 250, 500, 1_000, 2_000, 30_000, 30_000]);
});

// Review mutant: the backoff never reset, so a worker that crashed once a day waited ever longer.
Deno.test("failuresAfter() counts consecutive crashes and starts over after a healthy run", () => {
  const policy = { initialMs: 100, maxMs: 10_000, resetAfterMs: 60_000 };
  let failures = 0;
  for (let i = 0; i < 5; i++) failures = failuresAfter(policy, failures, 500); // crash loop
  assert.equal(failures, 5);
  assert.equal(backoffMs(policy, failures), 1_600);
  failures = failuresAfter(policy, failures, 60_000); // up a minute, then one crash
  assert.equal(failures, 1);
  assert.equal(backoffMs(policy, failures), 100, "back to the quick first retry");
});
