/**
 * Faults in the worker processes never crash the core: workers killed mid-stream in a loop are
 * restarted and serve again; a core killed with SIGKILL leaves no worker behind.
 */
import assert from "node:assert/strict";
import { alive, collect, withWorkers } from "./helpers/workers_harness.ts";
import { startServer } from "./helpers/server_process.ts";
import { NobodyError } from "../src/domain/errors.ts";

const CYCLES = 50;

Deno.test(`worker faults: ${CYCLES} kills mid-stream, alternating TTS and STT, and the core keeps serving`, () =>
  withWorkers(async (h) => {
    const speech = await collect(
      h.tts.synthesize("turn on the kitchen lights", { sampleRate: 16_000 }),
    );
    const seen = new Set<number>();
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const name = cycle % 2 === 0 ? "tts" : "stt";
      const pid = await h.restarted(name, Math.floor(cycle / 2));
      assert.ok(!seen.has(pid), "every cycle runs a fresh process");
      seen.add(pid);
      let failure: unknown = null;
      if (name === "tts") {
        let chunks = 0;
        try {
          for await (const _ of h.tts.synthesize("word ".repeat(1_000))) {
            if (++chunks === 2) Deno.kill(pid, "SIGKILL");
          }
        } catch (error) {
          failure = error;
        }
      } else {
        const stream = h.stt.stream({ sampleRate: 16_000 });
        const events = stream.events[Symbol.asyncIterator]();
        try {
          // Mid-stream: the worker has answered (a partial), and more audio is in flight. A
          // worker lost before its first answer is retried instead (tests/faults_test.ts).
          for (let i = 0; i < speech.length; i += 320) {
            stream.pushAudio(speech.subarray(i, i + 320));
          }
          const first = await events.next();
          assert.equal(first.value?.type, "partial");
          Deno.kill(pid, "SIGKILL");
          for (let i = 0; i < 320 * 25; i += 320) stream.pushAudio(speech.subarray(i, i + 320));
          stream.endInput();
          while (!(await events.next()).done) { /* partials until the worker dies */ }
        } catch (error) {
          failure = error;
        }
      }
      assert.ok(failure instanceof NobodyError, `cycle ${cycle} (${name}): ${failure}`);
      assert.equal(failure.code, "unavailable");
    }
    await h.restarted("tts", CYCLES / 2);
    await h.restarted("stt", CYCLES / 2);
    assert.deepEqual(h.supervisor.status().map((s) => s.restarts), [CYCLES / 2, CYCLES / 2, 0]);
    // And after all that, both work.
    const audio = await collect(
      h.tts.synthesize("turn on the kitchen lights", { sampleRate: 16_000 }),
    );
    const stream = h.stt.stream({
      sampleRate: 16_000,
      phrases: ["turn on the kitchen lights", "play some music"],
    });
    stream.pushAudio(audio);
    stream.endInput();
    let final = "";
    for await (const event of stream.events) if (event.type === "final") final = event.text;
    assert.equal(final, "turn on the kitchen lights");
    assert.ok([...seen].every((pid) => !alive(pid)), "no killed worker lingers");
  }, { backoff: { initialMs: 5, maxMs: 20, resetAfterMs: 60_000 } }));

Deno.test("worker faults: killing the core with SIGKILL takes its workers with it", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-orphans-" });
  try {
    const server = await startServer(dataDir, [], { NOBODY_WORKERS: "true" });
    const headers = { authorization: `Bearer ${server.token}` };
    let pids: number[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const status = await (await fetch(`${server.url}/status`, { headers })).json();
      const workers = status.workers as { state: string; pid: number }[];
      if (workers.length === 3 && workers.every((w) => w.state === "ready")) {
        pids = workers.map((w) => w.pid);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(pids.length, 3, "every worker became ready");
    assert.ok(pids.every(alive));

    server.child.kill("SIGKILL");
    await server.child.status;
    const gone = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(pids.filter(alive), [], "the workers exited with their core");
    await server.stop().catch(() => {});
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
