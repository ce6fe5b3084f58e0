import assert from "node:assert/strict";
import { AsyncQueue } from "./async_queue.ts";

Deno.test("AsyncQueue delivers items pushed before and after the consumer waits, then ends", async () => {
  const queue = new AsyncQueue<number>();
  queue.push(1);
  const seen: number[] = [];
  const consumer = (async () => {
    for await (const item of queue) seen.push(item);
  })();
  queue.push(2);
  await Promise.resolve();
  queue.push(3);
  queue.end();
  await consumer;
  assert.deepEqual(seen, [1, 2, 3]);
  assert.throws(() => queue.push(4), /push after end/);
});

Deno.test("AsyncQueue.fail() reaches a waiting consumer after the queued items", async () => {
  const queue = new AsyncQueue<string>();
  queue.push("a");
  const seen: string[] = [];
  const consumer = (async () => {
    for await (const item of queue) seen.push(item);
  })();
  await new Promise((r) => setTimeout(r, 0));
  queue.fail(new Error("broken"));
  await assert.rejects(consumer, /broken/);
  assert.deepEqual(seen, ["a"]);
});

Deno.test("AsyncQueue tells its producer when the consumer stops early, and only then", async () => {
  let stopped = 0;
  const early = new AsyncQueue<number>({ onReturn: () => stopped++ });
  early.push(1);
  early.push(2);
  for await (const _ of early) break;
  assert.equal(stopped, 1);
  assert.ok(early.ended);

  const full = new AsyncQueue<number>({ onReturn: () => stopped++ });
  full.push(1);
  full.end();
  for await (const _ of full) { /* consume all */ }
  assert.equal(stopped, 1, "a queue read to its end does not count as stopped early");
});
