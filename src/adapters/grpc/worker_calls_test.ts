import assert from "node:assert/strict";
import type { Transport } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { NobodyError } from "../../domain/errors.ts";
import { duplexCall, serverStream, unaryCall } from "./worker_calls.ts";
import type { WorkerSource } from "./worker_source.ts";

/** Opaque transports, numbered; `replacing` is recorded, as the supervisor would see it. */
function fakeWorkers() {
  const transports = [{ id: 0 }, { id: 1 }, { id: 2 }] as unknown as Transport[];
  const asked: (Transport | undefined)[] = [];
  let leased = 0, released = 0;
  const source: WorkerSource = {
    lease: (_name, options = {}) => {
      asked.push(options.replacing);
      leased++;
      return Promise.resolve({
        transport: transports[asked.length - 1],
        release: () => released++,
      });
    },
  };
  return { source, transports, asked, held: () => leased - released };
}

const lost = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });

Deno.test("unaryCall() sends a call that lost its worker once more, to the replacement", async () => {
  const { source, transports, asked } = fakeWorkers();
  const used: Transport[] = [];
  const result = await unaryCall({
    worker: "trainer",
    workers: source,
    call: (transport) => {
      used.push(transport);
      return transport === transports[0] ? Promise.reject(lost()) : Promise.resolve("analyzed");
    },
  });
  assert.equal(result, "analyzed");
  assert.deepEqual(used, [transports[0], transports[1]]);
  // The second acquire names the lost transport, so the supervisor hands out its successor.
  assert.deepEqual(asked, [undefined, transports[0]]);
});

Deno.test("unaryCall() does not retry a worker's verdict, and says what it was", async () => {
  const { source, asked } = fakeWorkers();
  await assert.rejects(
    unaryCall({
      worker: "trainer",
      workers: source,
      call: () =>
        Promise.reject(new ConnectError("the file contains no audio", Code.InvalidArgument)),
    }),
    (e: unknown) =>
      e instanceof NobodyError && e.code === "invalid_request" && /no audio/.test(e.message),
  );
  assert.equal(asked.length, 1);
});

Deno.test("unaryCall() retries once only: a replacement that is lost too is an unavailable error", async () => {
  const { source, asked } = fakeWorkers();
  await assert.rejects(
    unaryCall({ worker: "stt", workers: source, call: () => Promise.reject(lost()) }),
    (e: unknown) => e instanceof NobodyError && e.code === "unavailable",
  );
  assert.equal(asked.length, 2);
});

Deno.test("serverStream() retries a call lost before its first response, never one lost after", async () => {
  const { source, transports, asked } = fakeWorkers();
  const before = [];
  for await (
    const x of serverStream({
      worker: "tts",
      workers: source,
      call: async function* (transport) {
        if (transport === transports[0]) throw lost();
        yield* [1, 2];
      },
      map: (n: number) => n * 10,
    })
  ) before.push(x);
  assert.deepEqual(before, [10, 20]);
  assert.equal(asked.length, 2);

  const again = fakeWorkers();
  const after: number[] = [];
  await assert.rejects(
    (async () => {
      for await (
        const x of serverStream({
          worker: "tts",
          workers: again.source,
          call: async function* () {
            yield 1;
            throw lost();
          },
          map: (n: number) => n,
        })
      ) after.push(x);
    })(),
    (e: unknown) => e instanceof NobodyError && e.code === "unavailable",
  );
  // Audio already played cannot be taken back: no second attempt would repeat it.
  assert.deepEqual(after, [1]);
  assert.equal(again.asked.length, 1);
});

Deno.test("every call gives its worker back, however it ends: a pool counts calls by their leases", async () => {
  const ok = fakeWorkers();
  await unaryCall({ worker: "trainer", workers: ok.source, call: () => Promise.resolve(1) });
  assert.equal(ok.held(), 0);

  const retried = fakeWorkers();
  await unaryCall({
    worker: "trainer",
    workers: retried.source,
    call: (t) => t === retried.transports[0] ? Promise.reject(lost()) : Promise.resolve(1),
  });
  assert.equal(retried.held(), 0, "the lost worker's lease ends when the call moves on");

  const failed = fakeWorkers();
  await unaryCall({ worker: "stt", workers: failed.source, call: () => Promise.reject(lost()) })
    .catch(() => {});
  assert.equal(failed.held(), 0);

  const early = fakeWorkers();
  for await (
    const _ of serverStream({
      worker: "tts",
      workers: early.source,
      call: async function* () {
        yield* [1, 2, 3];
      },
      map: (n: number) => n,
    })
  ) break; // the consumer stops after the first chunk
  assert.equal(early.held(), 0);

  const duplex = fakeWorkers();
  const call = duplexCall({
    worker: "stt",
    workers: duplex.source,
    call: async function* (_t, input: AsyncIterable<number>) {
      for await (const n of input) yield n;
    },
    map: (n: number) => n,
  });
  call.input.push(1);
  const first = await call.output[Symbol.asyncIterator]().next();
  assert.deepEqual(first, { value: 1, done: false });
  assert.equal(duplex.held(), 1, "a stream holds its worker while it runs");
  call.close();
  for await (const _ of call.output) { /* drain to the end */ }
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(duplex.held(), 0);
});
