/**
 * The supervisor's pools with stand-in worker processes: a Python one-liner that says it is ready
 * and lives until its stdin closes, as the real workers do. Transports are plain objects.
 */
import assert from "node:assert/strict";
import { ConsoleLogger } from "../adapters/log/console_logger.ts";
import type { WorkerName, WorkerStatus } from "../ports/worker_status.ts";
import { type PoolSpec, WorkerSupervisor } from "./supervisor.ts";

interface FakeTransport {
  readonly socketPath: string;
  closed: boolean;
}

const STAND_IN = [
  "-c",
  "import json, os, sys; print(json.dumps({'event': 'ready', 'pid': os.getpid()}), flush=True); sys.stdin.read()",
];

async function withPools(
  pools: PoolSpec[],
  fn: (s: WorkerSupervisor<FakeTransport>, logs: string[]) => Promise<void>,
): Promise<void> {
  const socketDir = await Deno.makeTempDir({ prefix: "nobody-pool-" });
  const logs: string[] = [];
  const supervisor = new WorkerSupervisor<FakeTransport>({
    pools,
    socketDir,
    launch: () => ({ command: "/usr/bin/python3", args: STAND_IN, env: {}, cwd: socketDir }),
    connect: (socketPath) => {
      const transport = { socketPath, closed: false };
      return { transport, close: () => transport.closed = true };
    },
    probe: () =>
      Promise.resolve({
        serving: true,
        engine: "stand-in",
        engineDetail: "",
        fallbacks: [],
        pid: 0,
        sampleRate: 16_000,
      }),
    logger: new ConsoleLogger({ level: "info", write: (line) => logs.push(line) }),
    backoff: { initialMs: 10, maxMs: 50, resetAfterMs: 60_000 },
  });
  supervisor.start();
  try {
    await fn(supervisor, logs);
  } finally {
    await supervisor.stop();
    await Deno.remove(socketDir, { recursive: true });
  }
}

const members = (s: WorkerSupervisor<FakeTransport>, name: WorkerName) =>
  s.status().filter((w) => w.name === name);

/** Waits (bounded) until the pool's members satisfy `test`. */
async function until(
  s: WorkerSupervisor<FakeTransport>,
  name: WorkerName,
  test: (members: WorkerStatus[]) => boolean,
  what: string,
): Promise<WorkerStatus[]> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const now = members(s, name);
    if (test(now)) return now;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(members(s, name))}`);
}

const allReady = (ms: WorkerStatus[]) => ms.every((m) => m.state === "ready");

Deno.test("a call goes to the least loaded ready member and stays there until it ends", async () => {
  await withPools([{ name: "stt", size: 2 }], async (s) => {
    await until(s, "stt", allReady, "both members ready");
    const first = await s.lease("stt");
    const second = await s.lease("stt");
    assert.notEqual(first.transport.socketPath, second.transport.socketPath);
    assert.deepEqual(members(s, "stt").map((m) => m.activeCalls), [1, 1]);

    first.release();
    first.release(); // a second release changes nothing
    const third = await s.lease("stt");
    assert.equal(third.transport, first.transport, "the member with no call in flight");
    second.release();
    third.release();
    // Equal loads take turns.
    const a = await s.lease("stt");
    a.release();
    const b = await s.lease("stt");
    b.release();
    assert.notEqual(a.transport, b.transport);
    assert.deepEqual(members(s, "stt").map((m) => m.activeCalls), [0, 0]);
    assert.deepEqual(members(s, "stt").map((m) => m.callsServed).sort(), [2, 3]);
  });
});

Deno.test("calls that arrive together spread over the pool", async () => {
  await withPools([{ name: "stt", size: 2 }], async (s) => {
    await until(s, "stt", allReady, "both members ready");
    const leases = await Promise.all(Array.from({ length: 4 }, () => s.lease("stt")));
    assert.deepEqual(members(s, "stt").map((m) => m.activeCalls), [2, 2]);
    for (const lease of leases) lease.release();
  });
});

Deno.test("a call whose member was lost moves to another member at once", async () => {
  await withPools([{ name: "tts", size: 2 }], async (s) => {
    const ready = await until(s, "tts", allReady, "both members ready");
    const held = await s.lease("tts");
    const lostIndex = members(s, "tts").findIndex((m) => m.activeCalls === 1);
    Deno.kill(ready[lostIndex].pid!, "SIGKILL");
    await until(s, "tts", (ms) => ms[lostIndex].state !== "ready", "the supervisor to see it");
    const next = await s.lease("tts", { replacing: held.transport, timeoutMs: 1_000 });
    assert.notEqual(next.transport, held.transport);
    held.release();
    next.release();
    const back = await until(s, "tts", allReady, "the lost member restarted");
    assert.equal(back[lostIndex].restarts, 1);
    assert.notEqual(back[lostIndex].pid, ready[lostIndex].pid);
    assert.equal(back[1 - lostIndex].restarts, 0, "its sibling never stopped");
  });
});

Deno.test("an idle pool unloads after its keep-alive and the next call loads it again", async () => {
  await withPools([{ name: "stt", size: 2, keepAliveMs: 100 }], async (s, logs) => {
    const before = await until(s, "stt", allReady, "ready");
    const unloaded = await until(
      s,
      "stt",
      (ms) => ms.every((m) => m.state === "unloaded" && m.pid === null),
      "the idle pool to unload",
    );
    for (const m of before) {
      assert.throws(() => Deno.kill(m.pid!, "SIGCONT"), "the process is gone");
    }
    assert.deepEqual(unloaded.map((m) => m.restarts), [0, 0], "an unload is not a failure");
    assert.ok(logs.some((l) => l.includes("unloading an idle engine")));

    const lease = await s.lease("stt", { timeoutMs: 5_000 });
    const loaded = members(s, "stt").filter((m) => m.state === "ready");
    assert.ok(loaded.length >= 1);
    assert.ok(loaded.every((m) => !before.some((b) => b.pid === m.pid)), "new processes");
    // A call in flight keeps the pool loaded well past the keep-alive.
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(members(s, "stt").some((m) => m.state === "ready" && m.activeCalls === 1));
    lease.release();
    await until(s, "stt", (ms) => ms.every((m) => m.state === "unloaded"), "unloaded again");
  });
});

Deno.test("a pool without keep-alive stays loaded, and a stopped pool refuses calls", async () => {
  await withPools([{ name: "trainer", size: 1 }], async (s) => {
    await until(s, "trainer", allReady, "ready");
    await s.stop();
    assert.deepEqual(members(s, "trainer").map((m) => m.state), ["stopped"]);
    await assert.rejects(s.lease("trainer"), /stopped/);
    await assert.rejects(s.lease("stt"), /not enabled/);
  });
});
