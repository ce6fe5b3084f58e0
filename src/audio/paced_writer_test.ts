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
  await writer.end();
  writer.reset();
  await writer.write(new Float32Array(50));
  await writer.end();
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

// Defect: reply audio went out in about 770 frames a second, 36% of them a single 4-byte sample,
// because each frame took whatever sliver the rate allowed at that moment.
Deno.test("PacedWriter sends whole 20 ms frames, whatever sizes the audio arrives in", async () => {
  const clock = fakeTime();
  const sizes: number[] = [];
  const writer = new PacedWriter({
    sampleRate: 24_000,
    leadMs: 100,
    maxFrameMs: 20,
    now: clock.now,
    // A real clock wakes a little late and by odd amounts.
    sleep: (ms) => clock.sleep(ms + 0.37),
    send: (frame) => void sizes.push(frame.length),
  });
  // TTS chunks of uneven sizes, 2 s of audio in all.
  let total = 0;
  for (const n of [1_000, 37, 4_801, 3, 12_000, 9_999, 20_160]) {
    await writer.write(new Float32Array(n));
    total += n;
  }
  await writer.end();
  assert.equal(sizes.reduce((a, b) => a + b, 0), total, "every sample sent once");
  assert.ok(sizes.slice(0, -1).every((n) => n === 480), "whole 480-sample frames");
  assert.ok(sizes.at(-1)! > 0 && sizes.at(-1)! <= 480, "then the utterance's short tail");
});
