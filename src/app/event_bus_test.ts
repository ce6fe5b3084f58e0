import assert from "node:assert/strict";
import { EventBus } from "./event_bus.ts";

type E = { type: "a"; n: number } | { type: "b" };

Deno.test("EventBus delivers to every listener, isolates failures and unsubscribes", () => {
  const failures: string[] = [];
  const bus = new EventBus<E>({
    onListenerError: (error, event) => failures.push(`${event.type}:${error}`),
  });
  const first: E[] = [];
  const second: E[] = [];
  const stop = bus.subscribe((e) => first.push(e));
  bus.subscribe(() => {
    throw new Error("bad listener");
  });
  const controller = new AbortController();
  bus.subscribe((e) => second.push(e), { signal: controller.signal });

  bus.publish({ type: "a", n: 1 });
  assert.deepEqual(first, [{ type: "a", n: 1 }]);
  assert.deepEqual(second, [{ type: "a", n: 1 }]);
  assert.deepEqual(failures, ["a:Error: bad listener"]);

  stop();
  controller.abort();
  bus.publish({ type: "b" });
  assert.equal(first.length, 1);
  assert.equal(second.length, 1);
  assert.equal(bus.listenerCount, 1);
});

Deno.test("EventBus ignores a subscription whose signal is already aborted", () => {
  const bus = new EventBus<E>({ onListenerError: () => {} });
  bus.subscribe(() => assert.fail("must not run"), { signal: AbortSignal.abort() });
  bus.publish({ type: "b" });
  assert.equal(bus.listenerCount, 0);
});
