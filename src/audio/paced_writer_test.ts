import assert from "node:assert/strict";
import { PacedWriter } from "./paced_writer.ts";

function fakeTime() {
  let now = 0;
  return {
    now: () => now,
    sleep: (ms: number) => {
      now += ms;
      return Promise.resolve();
    },
    get time() {
      return now;
    },
  };
}

Deno.test("PacedWriter sends at real time plus the lead, in bounded frames", async () => {
  const clock = fakeTime();
  const sent: { at: number; size: number }[] = [];
  const writer = new PacedWriter({
    sampleRate: 1000,
    leadMs: 100,
    maxFrameMs: 20,
    now: clock.now,
    sleep: clock.sleep,
    send: (frame) => void sent.push({ at: clock.time, size: frame.length }),
  });
  await writer.write(new Float32Array(1000)); // one second of audio
  assert.equal(sent.reduce((n, s) => n + s.size, 0), 1000);
  assert.ok(sent.every((s) => s.size <= 20));
  // The first 100 ms (the lead) go at once; the rest follow the clock.
  assert.equal(sent.filter((s) => s.at === 0).reduce((n, s) => n + s.size, 0), 100);
  assert.ok(clock.time >= 899 && clock.time <= 901, `finished at ${clock.time} ms`);
  for (const s of sent) assert.ok(s.at <= 900);
});

Deno.test("PacedWriter.reset() starts the next utterance without waiting for the old timeline", async () => {
  const clock = fakeTime();
  let sentAt0 = 0;
  const writer = new PacedWriter({
    sampleRate: 1000,
    leadMs: 50,
    now: clock.now,
    sleep: clock.sleep,
    send: (frame) => {
      if (clock.time === 0) sentAt0 += frame.length;
    },
  });
  await writer.write(new Float32Array(50));
  writer.reset();
  await writer.write(new Float32Array(50));
  assert.equal(sentAt0, 100, "both leads went out at once");
});

Deno.test("PacedWriter stops when the signal aborts", async () => {
  const clock = fakeTime();
  const controller = new AbortController();
  let sent = 0;
  const writer = new PacedWriter({
    sampleRate: 1000,
    leadMs: 0,
    now: clock.now,
    sleep: (ms) => {
      if (clock.time > 200) controller.abort(new Error("barge-in"));
      return clock.sleep(ms);
    },
    send: (frame) => void (sent += frame.length),
  });
  await assert.rejects(
    writer.write(new Float32Array(10_000), { signal: controller.signal }),
    /barge-in/,
  );
  assert.ok(sent < 400, `${sent} samples sent`);
});
