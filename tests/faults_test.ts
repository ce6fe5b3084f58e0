/**
 * Faults: worker processes killed with SIGKILL during training and while idle, and the core
 * killed during an upload. Afterwards nothing is corrupt, no partial file or row remains, and the
 * service works again.
 */
import { SPEECH_CLIPS } from "./helpers/fixtures.ts";
import assert from "node:assert/strict";
import { assertDatabaseIntact } from "./helpers/db_check.ts";
import { type Harness, multipart, withCore } from "./helpers/core_harness.ts";
import { startServer } from "./helpers/server_process.ts";
import { waitUntil, within } from "./helpers/wait.ts";
import type { DomainEvent } from "../src/domain/events.ts";
import type { WorkerName } from "../src/ports/worker_status.ts";

const CLIPS = SPEECH_CLIPS;

const files = (dir: string): string[] => {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch {
    return [];
  }
};

async function voiceWithSamples(h: Harness): Promise<string> {
  const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
  for (const clip of CLIPS) {
    const r = await h.request(`/voices/${voice.id}/samples`, {
      method: "POST",
      body: multipart("file", await Deno.readFile(clip), clip.split("/").pop()!),
    });
    assert.equal(r.status, 201);
    await r.body?.cancel();
  }
  return voice.id;
}

/** The pid of a ready worker, waiting for a restart when it differs from `not`. */
function readyPid(h: Harness, name: WorkerName, not?: number): Promise<number> {
  return waitUntil(`a ready ${name} worker`, () => {
    const s = h.workers!.supervisor.status().find((w) => w.name === name)!;
    return s.state === "ready" && s.pid !== null && s.pid !== not ? s.pid : undefined;
  }, { ms: 60_000 });
}

function nextEvent(h: Harness, match: (e: DomainEvent) => boolean): Promise<DomainEvent> {
  let stop = () => {};
  return within(
    "the next matching event",
    new Promise<DomainEvent>((resolve) => {
      stop = h.core.events.subscribe((e) => {
        if (match(e)) {
          stop();
          resolve(e);
        }
      });
    }),
    60_000,
  ).finally(() => stop());
}

Deno.test("faults: the trainer killed mid-training fails the job cleanly, and training works after its restart", () =>
  withCore(async (h) => {
    const voiceId = await voiceWithSamples(h);
    const pid = await readyPid(h, "trainer");
    const fitting = nextEvent(h, (e) => e.type === "training_progress" && e.stage === "fitting");
    const finished = nextEvent(h, (e) => e.type === "training_finished");
    const started = await h.json(`/voices/${voiceId}/train`, "POST", { consent: true });
    assert.equal(started.status, 202);
    await started.body?.cancel();
    await fitting;
    Deno.kill(pid, "SIGKILL");
    const end = await finished as Extract<DomainEvent, { type: "training_finished" }>;
    assert.equal(end.job.status, "failed");
    assert.match(end.job.message, /voice trainer worker stopped during the request.*try again/);
    const voice = await (await h.request(`/voices/${voiceId}`)).json();
    assert.equal(voice.status, "draft", "the voice is back where it was");
    assert.deepEqual(files(`${h.dataDir}/voices/${voiceId}`), ["samples"], "no partial artifact");

    await readyPid(h, "trainer", pid);
    const done = nextEvent(h, (e) => e.type === "training_finished");
    await (await h.json(`/voices/${voiceId}/train`, "POST", { consent: true })).body?.cancel();
    const again = await done as Extract<DomainEvent, { type: "training_finished" }>;
    assert.equal(again.job.status, "succeeded", again.job.message);
  }, { workers: true }));

Deno.test("faults: every worker killed while idle is back for the next request", () =>
  withCore(async (h) => {
    const pids = await Promise.all((["stt", "tts", "trainer"] as const).map((n) => readyPid(h, n)));
    for (const pid of pids) Deno.kill(pid, "SIGKILL");
    // The next requests wait for the restarts: analysis (trainer), transcript (STT), speech (TTS).
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    const upload = await h.request(`/voices/${voice.id}/samples`, {
      method: "POST",
      body: multipart("file", await Deno.readFile(CLIPS[0]), "a.wav"),
    });
    const sample = await upload.json();
    assert.equal(upload.status, 201, JSON.stringify(sample));
    assert.notEqual(
      sample.quality,
      null,
      JSON.stringify((await (await h.request("/status")).json()).problems),
    );
    assert.notEqual(sample.transcript, null);
    const speech = await h.json("/v1/audio/speech", "POST", {
      model: "m",
      voice: "alloy",
      input: "back again",
      response_format: "pcm",
    });
    assert.equal(speech.status, 200);
    assert.ok((await speech.arrayBuffer()).byteLength > 24_000);
    const restarts = h.workers!.supervisor.status().map((s) => s.restarts);
    assert.deepEqual(restarts, [1, 1, 1]);
  }, { workers: true }));

Deno.test("faults: the core killed during an upload's analysis leaves no file and no row", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-upload-crash-" });
  try {
    // Three minutes of speech: the analysis and transcript take seconds, the window to kill in.
    const long = `${dataDir}/long.wav`;
    const sox = await new Deno.Command("sox", {
      args: [...CLIPS, long, "repeat", "14"],
      stderr: "piped",
    }).output();
    assert.equal(sox.code, 0, new TextDecoder().decode(sox.stderr));
    const first = await startServer(`${dataDir}/data`, [], { NOBODY_WORKERS: "true" });
    const headers = { authorization: `Bearer ${first.token}` };
    const voice = await (await fetch(`${first.url}/voices`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada" }),
    })).json();
    const samples = `${dataDir}/data/voices/${voice.id}/samples`;
    const upload = fetch(`${first.url}/voices/${voice.id}/samples`, {
      method: "POST",
      headers,
      body: multipart("file", await Deno.readFile(long), "long.wav"),
    }).catch((error) => error);
    // The original is on disk and the analysis is running: kill the core now.
    const staging = `${dataDir}/data/tmp/uploads`;
    await waitUntil("the staged upload", () => files(staging).some((f) => f.endsWith(".upload")), {
      everyMs: 5,
    });
    first.child.kill("SIGKILL");
    await first.child.status;
    assert.ok((await upload) instanceof TypeError, "the client sees the connection drop");
    await first.stop().catch(() => {});

    const second = await startServer(`${dataDir}/data`);
    try {
      const list = await (await fetch(`${second.url}/voices/${voice.id}/samples`, {
        headers: { authorization: `Bearer ${second.token}` },
      })).json();
      assert.deepEqual(list.samples, [], "no row");
      assert.deepEqual(files(samples), [], "nothing reached the voice's folder");
      assert.deepEqual(files(staging), [], "the start-up removed the staged upload");
    } finally {
      await second.stop();
    }
    assertDatabaseIntact(`${dataDir}/data`);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
