/**
 * Engine pools with the real workers: streams spread over the members, a member killed before it
 * answered has its streams sent again to another, and an idle pool unloads and comes back for the
 * next call.
 */
import assert from "node:assert/strict";
import { alive, collect, withWorkers } from "./helpers/workers_harness.ts";
import type { SttStream } from "../src/ports/stt_engine.ts";
import type { WorkerStatus } from "../src/ports/worker_status.ts";

const PHRASES = ["turn on the kitchen lights", "play some music", "what time is it"];
const RATE = 16_000;

const members = (status: WorkerStatus[], name: string) => status.filter((s) => s.name === name);

async function finalText(stream: SttStream): Promise<string> {
  let text = "";
  for await (const event of stream.events) if (event.type === "final") text = event.text;
  return text;
}

/** Bounded wait for a condition on the supervisor's status. */
async function until(
  read: () => WorkerStatus[],
  test: (status: WorkerStatus[]) => boolean,
  what: string,
  ms = 30_000,
): Promise<WorkerStatus[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const status = read();
    if (test(status)) return status;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(read())}`);
}

Deno.test("pools: streams spread over the STT processes, and a lost member's streams move to the other", () =>
  withWorkers(async (h) => {
    await until(
      () => h.supervisor.status(),
      (s) => members(s, "stt").length === 2 && s.every((m) => m.state === "ready"),
      "two STT processes and the others ready",
    );
    const speech = await collect(h.tts.synthesize(PHRASES[0], { sampleRate: RATE }));
    const streams = Array.from(
      { length: 4 },
      () => h.stt.stream({ sampleRate: RATE, phrases: PHRASES }),
    );
    for (const stream of streams) stream.pushAudio(speech.subarray(0, RATE / 10));
    const busy = await until(
      () => h.supervisor.status(),
      (s) => members(s, "stt").reduce((n, m) => n + m.activeCalls, 0) === 4,
      "the four streams to be leased",
    );
    assert.deepEqual(members(busy, "stt").map((m) => m.activeCalls), [2, 2], "least loaded first");

    // Kill one member before it has answered: its two streams are sent again, audio and all, to
    // a member that is ready (the other one, unless the lost one is back already), and every turn
    // is heard whole.
    const victim = members(busy, "stt")[0];
    const survivor = members(busy, "stt")[1];
    Deno.kill(victim.pid!, "SIGKILL");
    const heard = await Promise.all(streams.map(async (stream) => {
      stream.pushAudio(speech.subarray(RATE / 10));
      stream.endInput();
      return await finalText(stream);
    }));
    assert.deepEqual(heard, Array(4).fill(PHRASES[0]));
    const after = members(h.supervisor.status(), "stt");
    assert.equal(after[1].pid, survivor.pid, "the survivor kept running");
    const served = (ms: WorkerStatus[]) => ms.reduce((n, m) => n + m.callsServed, 0);
    assert.equal(served(after), served(members(busy, "stt")) + 2, "the two lost calls, sent again");

    // A new stream goes to the survivor at once, while the lost member restarts.
    const next = h.stt.stream({ sampleRate: RATE, phrases: PHRASES });
    next.pushAudio(speech);
    next.endInput();
    assert.equal(await finalText(next), PHRASES[0]);
    const back = await until(
      () => h.supervisor.status(),
      (s) => members(s, "stt").every((m) => m.state === "ready"),
      "the lost member back",
    );
    assert.equal(members(back, "stt")[0].restarts, 1);
    assert.equal(members(back, "stt")[1].restarts, 0);
    assert.ok(!alive(victim.pid!));
  }, { env: { NOBODY_STT_PROCESSES: "2" } }));

Deno.test("pools: an idle engine unloads after its keep-alive and the next turn loads it again", () =>
  withWorkers(async (h) => {
    const ready = await until(
      () => h.supervisor.status(),
      (s) => s.every((m) => m.state === "ready"),
      "the workers ready",
    );
    const speech = await collect(h.tts.synthesize(PHRASES[1], { sampleRate: RATE }));
    const unloaded = await until(
      () => h.supervisor.status(),
      (s) => s.every((m) => m.state === "unloaded" && m.pid === null),
      "every pool to unload",
    );
    for (const m of ready) assert.ok(!alive(m.pid!), `${m.name} ${m.pid} is gone`);
    assert.ok(unloaded.every((m) => m.restarts === 0), "an unload is no restart");
    assert.ok(h.logs.some((l) => l.includes("unloading an idle engine")));

    // A push-to-talk turn opens its stream as the key goes down: the engine loads while the
    // person speaks, and the turn is heard whole.
    const stream = h.stt.stream({ sampleRate: RATE, phrases: PHRASES });
    for (let i = 0; i < speech.length; i += RATE / 50) {
      stream.pushAudio(speech.subarray(i, i + RATE / 50));
    }
    stream.endInput();
    assert.equal(await finalText(stream), PHRASES[1]);
    const stt = members(h.supervisor.status(), "stt")[0];
    assert.equal(stt.state, "ready");
    assert.ok(!ready.some((m) => m.pid === stt.pid), "a new process");
    assert.equal(
      members(h.supervisor.status(), "tts")[0].state,
      "unloaded",
      "each engine loads on its own calls",
    );
  }, { env: { NOBODY_KEEP_ALIVE_MS: "1500" } }));
