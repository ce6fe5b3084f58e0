import assert from "node:assert/strict";
import { SpscRing } from "./ring.ts";

Deno.test("SpscRing rounds capacity up and reports fill levels", () => {
  const ring = SpscRing.create(1000);
  assert.equal(ring.capacity, 1024);
  assert.equal(ring.availableRead(), 0);
  assert.equal(ring.availableWrite(), 1024);
  assert.equal(ring.write(new Float32Array(300).fill(1)), 300);
  assert.equal(ring.availableRead(), 300);
  assert.equal(ring.availableWrite(), 724);
  assert.throws(() => SpscRing.create(1), RangeError);
  assert.throws(() => new SpscRing(new SharedArrayBuffer(64 + 12)), /not a ring buffer/);
});

Deno.test("SpscRing keeps order across the wrap and refuses what does not fit", () => {
  const ring = SpscRing.create(8);
  const out = new Float32Array(8);
  let next = 0;
  let expected = 0;
  for (let round = 0; round < 100; round++) {
    const chunk = Float32Array.from({ length: 5 }, () => next++);
    const written = ring.write(chunk);
    next -= chunk.length - written;
    const got = ring.read(out, 0, 3 + (round % 5));
    for (let i = 0; i < got; i++) assert.equal(out[i], expected++);
  }
  assert.ok(expected > 300);
  ring.read(out);
  assert.equal(ring.write(new Float32Array(20)), 8, "only the free space is written");
});

Deno.test("SpscRing survives its 32-bit indices wrapping", () => {
  const ring = SpscRing.create(16);
  const header = new Int32Array(ring.buffer, 0, 16);
  header[0] = header[1] = 2 ** 31 - 5; // both indices just below the signed wrap
  const out = new Float32Array(10);
  for (let k = 0; k < 4; k++) {
    assert.equal(ring.write(Float32Array.from({ length: 10 }, (_, i) => k * 10 + i)), 10);
    assert.equal(ring.availableRead(), 10);
    assert.equal(ring.read(out), 10);
    assert.deepEqual([...out], Array.from({ length: 10 }, (_, i) => k * 10 + i));
  }
});

Deno.test("SpscRing flush drops only what was queued before it, at the consumer's next read", () => {
  const ring = SpscRing.create(64);
  ring.write(new Float32Array(40).fill(1));
  ring.requestFlush();
  ring.write(new Float32Array(4).fill(2));
  const out = new Float32Array(64);
  assert.equal(ring.read(out), 4);
  assert.deepEqual([...out.subarray(0, 4)], [2, 2, 2, 2]);
  assert.equal(ring.consumed, 44);

  ring.write(new Float32Array(3).fill(3));
  ring.requestFlush();
  ring.read(out, 0, 0);
  assert.equal(ring.availableRead(), 0);
  ring.requestFlush(); // a stale flush never moves the read index backwards
  ring.write(new Float32Array(2).fill(4));
  assert.equal(ring.read(out), 2);
});

Deno.test("SpscRing counts overruns, underruns and discards", () => {
  const ring = SpscRing.create(4);
  ring.countOverrun(3);
  ring.countUnderrun(5);
  ring.countUnderrun(1);
  assert.equal(ring.overruns, 3);
  assert.equal(ring.underruns, 6);
  ring.write(new Float32Array([1, 2, 3]));
  assert.equal(ring.discard(), 3);
  assert.equal(ring.availableRead(), 0);
  ring.setStreaming(true);
  assert.ok(new SpscRing(ring.buffer).streaming, "state is shared through the buffer");
});

Deno.test("SpscRing passes every sample in order between two threads", async () => {
  const total = 2_000_000;
  const ring = SpscRing.create(4096);
  const worker = new Worker(new URL("./ring_test_producer.ts", import.meta.url), {
    type: "module",
  });
  const done = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(e);
  });
  worker.postMessage({ buffer: ring.buffer, total });
  const out = new Float32Array(777);
  let expected = 0;
  let mismatches = 0;
  let spins = 0;
  while (expected < total) {
    const got = ring.read(out, 0, 1 + (expected % 777));
    if (got === 0) {
      // Yield to the event loop so the test stays responsive; the producer runs on its own thread.
      if (++spins % 1024 === 0) await new Promise((r) => setTimeout(r, 0));
      continue;
    }
    for (let i = 0; i < got; i++) {
      if (out[i] !== expected % 16_777_216) mismatches++;
      expected++;
    }
  }
  await done;
  worker.terminate();
  assert.equal(mismatches, 0);
  assert.equal(expected, total);
  assert.equal(ring.availableRead(), 0);
});

// Review mutant: free space computed without `>>> 0` overwrote unread audio once the write index
// had wrapped past 2^31 and the read index had not (the wrap test always had read == write).
Deno.test("SpscRing never overwrites unread samples when only the write index has wrapped", () => {
  const ring = SpscRing.create(8);
  const header = new Int32Array(ring.buffer, 0, 16);
  header[1] = 2 ** 31 - 2; // read index, just below the int32 wrap
  header[0] = header[1]; // empty
  assert.equal(ring.write(Float32Array.of(1, 2, 3, 4)), 4);
  assert.ok(header[0] < 0, "the write index wrapped to a negative int32");
  assert.equal(ring.availableWrite(), 4);
  assert.equal(ring.write(Float32Array.of(5, 6, 7, 8, 9, 10)), 4, "only the free space is taken");
  const out = new Float32Array(16);
  assert.equal(ring.read(out), 8);
  assert.deepEqual([...out.subarray(0, 8)], [1, 2, 3, 4, 5, 6, 7, 8]);
});

// Review mutant: the "only forward" flush guard removed (the stale-flush test never made one).
Deno.test("SpscRing ignores a flush whose target the reader has already passed", () => {
  const ring = SpscRing.create(16);
  ring.write(Float32Array.of(1, 2, 3, 4));
  ring.requestFlush(); // target: 4
  ring.write(Float32Array.of(5, 6, 7));
  ring.discard(); // the consumer moved past the target (read index 7) before applying it
  ring.write(Float32Array.of(8, 9));
  const before = ring.consumed;
  const out = new Float32Array(16);
  assert.equal(ring.read(out), 2, "nothing old comes back");
  assert.deepEqual([...out.subarray(0, 2)], [8, 9]);
  assert.equal(ring.consumed - before, 2, "the count does not jump");
});
