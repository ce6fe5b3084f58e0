import assert from "node:assert/strict";
import { RateController } from "./rate_controller.ts";

function controller(leadMs = 100, maxDriftMs = 500) {
  let now = 1_000;
  const rc = new RateController({ sampleRate: 1000, leadMs, maxDriftMs, now: () => now });
  return { rc, advance: (ms: number) => (now += ms) };
}

Deno.test("RateController lets the lead through at once, then holds a producer that is ahead", () => {
  const { rc, advance } = controller();
  assert.deepEqual(rc.plan(), { allowed: 100, waitMs: 0, slipped: false });
  rc.commit(100);
  const held = rc.plan();
  assert.equal(held.allowed, 0);
  assert.equal(held.waitMs, 1);
  advance(40);
  assert.equal(rc.plan().allowed, 40);
  rc.commit(40);
  assert.equal(rc.leadMs(), 100);
});

Deno.test("RateController paces an on-time producer at real time plus the lead", () => {
  const { rc, advance } = controller();
  let sent = 0;
  for (let tick = 0; tick < 100; tick++) {
    const { allowed } = rc.plan();
    const chunk = Math.min(allowed, 20);
    rc.commit(chunk);
    sent += chunk;
    advance(10);
  }
  // 1 s of real time at 1000 Hz: a second of audio plus at most the lead.
  assert.ok(sent >= 990 && sent <= 1100, `sent ${sent}`);
  assert.equal(rc.slips, 0);
});

Deno.test("RateController lets a producer that fell a little behind catch up", () => {
  const { rc, advance } = controller();
  rc.plan();
  rc.commit(100);
  advance(400); // playhead 400, sent 100: 300 behind, under the 500 ms drift
  const plan = rc.plan();
  assert.equal(plan.slipped, false);
  assert.equal(plan.allowed, 400, "the missing 300 plus the lead");
});

Deno.test("RateController slips forward when the producer is more than MAX_DRIFT behind", () => {
  const { rc, advance } = controller();
  rc.plan();
  rc.commit(100);
  advance(900); // playhead 900, sent 100: 800 behind
  const plan = rc.plan();
  assert.equal(plan.slipped, true);
  assert.equal(plan.allowed, 100, "only the lead, no burst");
  assert.equal(rc.slips, 1);
  assert.equal(rc.leadMs(), 0);
  advance(50);
  assert.equal(rc.plan().allowed, 150);
});

Deno.test("RateController.reset() starts a new timeline", () => {
  const { rc, advance } = controller();
  rc.plan();
  rc.commit(100);
  advance(5_000);
  rc.reset();
  assert.deepEqual(rc.plan(), { allowed: 100, waitMs: 0, slipped: false });
  assert.equal(rc.sent, 0);
});

Deno.test("RateController computes the wait until the next sample is due", () => {
  const { rc, advance } = controller(0);
  rc.plan();
  rc.commit(250);
  const plan = rc.plan();
  assert.equal(plan.allowed, 0);
  assert.equal(plan.waitMs, 251);
  advance(251);
  assert.equal(rc.plan().allowed, 1);
});
