import assert from "node:assert/strict";
import { ReplayInput } from "./replay_input.ts";

async function take<T>(it: AsyncIterable<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
    if (out.length === n) break;
  }
  return out;
}

Deno.test("ReplayInput: a second reader starts from the first item; after settle() items are released", async () => {
  const input = new ReplayInput<number>();
  input.push(1);
  input.push(2);
  const first = new AbortController();
  assert.deepEqual(await take(input.reader(first.signal), 2), [1, 2]);
  first.abort(); // that attempt failed
  const second = new AbortController();
  const again = input.reader(second.signal);
  const pending = take(again, 4);
  input.settle();
  input.push(3);
  input.push(4);
  assert.deepEqual(await pending, [1, 2, 3, 4]);
  input.end();
});

Deno.test("ReplayInput: a reader waits for items and ends with the input, or with its signal", async () => {
  const input = new ReplayInput<string>();
  const controller = new AbortController();
  const all = (async () => {
    const out: string[] = [];
    for await (const x of input.reader(controller.signal)) out.push(x);
    return out;
  })();
  input.push("a");
  await Promise.resolve();
  input.push("b");
  input.end();
  assert.deepEqual(await all, ["a", "b"]);

  const open = new ReplayInput<string>();
  const aborted = new AbortController();
  const waiting = take(open.reader(aborted.signal), 1);
  aborted.abort();
  assert.deepEqual(await waiting, []);
});
