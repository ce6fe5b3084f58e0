/**
 * Voice training over REST with the real trainer worker: consent, enough audio, progress events,
 * the voice becoming ready, cancel, and jobs cut off by a crash marked interrupted at restart.
 */
import { SPEECH_CLIPS } from "./helpers/fixtures.ts";
import assert from "node:assert/strict";
import { expectError, multipart, withCore } from "./helpers/core_harness.ts";
import { startServer } from "./helpers/server_process.ts";
import { withConversation } from "./helpers/conversation_harness.ts";
import type { DomainEvent } from "../src/domain/events.ts";

const CLIPS = SPEECH_CLIPS;

async function voiceWithSamples(
  request: (path: string, init?: RequestInit) => Promise<Response>,
  clips: readonly string[],
): Promise<string> {
  const voice = await (await request("/voices", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `Voice ${crypto.randomUUID().slice(0, 8)}` }),
  })).json();
  for (const clip of clips) {
    const response = await request(`/voices/${voice.id}/samples`, {
      method: "POST",
      body: multipart("file", await Deno.readFile(clip), clip.split("/").pop()!),
    });
    assert.equal(response.status, 201);
    await response.body?.cancel();
  }
  return voice.id;
}

const train = (consent: boolean) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ consent }),
});

Deno.test("training: a voice trained over REST streams progress and becomes ready", () =>
  withCore(async (h) => {
    const voiceId = await voiceWithSamples(h.request, CLIPS);
    const voice = await (await h.request(`/voices/${voiceId}`)).json();
    assert.equal(voice.tier, "quick");

    const refused = await expectError(
      await h.request(`/voices/${voiceId}/train`, train(false)),
      400,
      "invalid_request",
    );
    assert.match(refused.message, /needs the speaker's consent/);
    await expectError(
      await h.request(`/voices/${voiceId}/train`, { method: "POST" }),
      400,
      "invalid_request",
    );

    const events: DomainEvent[] = [];
    const finished = new Promise<void>((resolve) =>
      h.core.events.subscribe((e) => {
        events.push(e);
        if (e.type === "training_finished") resolve();
      })
    );
    const started = await h.request(`/voices/${voiceId}/train`, train(true));
    assert.equal(started.status, 202);
    const job = await started.json();
    assert.equal(started.headers.get("location"), `/training/${job.id}`);
    assert.equal(job.status, "running");
    assert.equal((await (await h.request(`/voices/${voiceId}`)).json()).status, "training");
    // A second press of Train joins the running job (before: 409 "already training").
    const joined = await h.request(`/voices/${voiceId}/train`, train(true));
    assert.equal(joined.status, 200);
    assert.equal((await joined.json()).id, job.id);
    await finished;

    const done = await (await h.request(`/training/${job.id}`)).json();
    assert.equal(done.status, "succeeded");
    assert.equal(done.percent, 100);
    assert.equal(done.artifact_path, `${h.dataDir}/voices/${voiceId}/espeak_profile.json`);
    assert.equal((await (await h.request(`/voices/${voiceId}`)).json()).status, "ready");
    const progress = events.filter((e) => e.type === "training_progress");
    assert.ok(progress.length >= 5, `${progress.length} progress events`);
    assert.deepEqual(
      [...new Set(progress.map((e) => e.type === "training_progress" && e.stage))].slice(0, 2),
      [
        "loading",
        "analyzing",
      ],
    );
    let speech = 0;
    for await (
      const chunk of h.workers!.tts.synthesize("Hello from my cloned voice.", { voiceId })
    ) {
      speech += chunk.samples.length;
    }
    assert.ok(speech > 22_050, "the trained voice speaks");
    await expectError(
      await h.request(`/training/${job.id}`, { method: "DELETE" }),
      409,
      "conflict",
    );

    // Trained again: meanwhile the voice still speaks with its earlier profile.
    const again = await (await h.request(`/voices/${voiceId}/train`, train(true))).json();
    const speak = await h.json("/v1/audio/speech", "POST", {
      model: "m",
      voice: voiceId,
      input: "Still here while I train.",
      response_format: "pcm",
    });
    assert.equal(speak.status, 200);
    assert.ok((await speak.arrayBuffer()).byteLength > 24_000);
    assert.equal((await (await h.request(`/training/${again.id}`)).json()).status, "running");
    await h.request(`/training/${again.id}`, { method: "DELETE" });
  }, { workers: true }));

Deno.test("training: too little audio is refused, and cancelling restores the voice", () =>
  withCore(async (h) => {
    const short = await voiceWithSamples(h.request, CLIPS.slice(0, 2));
    const error = await expectError(
      await h.request(`/voices/${short}/train`, train(true)),
      400,
      "invalid_request",
    );
    assert.match(error.message, /has 2\.\d s of samples; training needs at least 10 s/);
    await expectError(
      await h.request(`/voices/voice_aaaaaaaaaaaaaaaaaaaa/train`, train(true)),
      404,
      "not_found",
    );
    await expectError(await h.request(`/training/job_aaaaaaaaaaaaaaaaaaaa`), 404, "not_found");
    await expectError(await h.request(`/training/nope`), 400, "invalid_id");

    const voiceId = await voiceWithSamples(h.request, CLIPS);
    const job = await (await h.request(`/voices/${voiceId}/train`, train(true))).json();
    const cancelled = await h.request(`/training/${job.id}`, { method: "DELETE" });
    assert.equal(cancelled.status, 200);
    const body = await cancelled.json();
    assert.equal(body.status, "cancelled");
    assert.equal((await (await h.request(`/voices/${voiceId}`)).json()).status, "draft");

    // Deleting a voice that is training stops the training and leaves nothing behind.
    const finished: string[] = [];
    h.core.events.subscribe((e) => {
      if (e.type === "training_finished") finished.push(`${e.job.id} ${e.job.status}`);
    });
    const again = await (await h.request(`/voices/${voiceId}/train`, train(true))).json();
    assert.equal(again.status, "running");
    assert.equal((await h.request(`/voices/${voiceId}`, { method: "DELETE" })).status, 204);
    assert.deepEqual(
      finished,
      [`${again.id} cancelled`],
      "the training had stopped before the delete returned",
    );
    await expectError(await h.request(`/training/${again.id}`), 404, "not_found");
    await assert.rejects(Deno.stat(`${h.dataDir}/voices/${voiceId}`), Deno.errors.NotFound);
  }, { workers: true }));

Deno.test("training: a job cut off by a core killed with SIGKILL is marked interrupted at restart", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-train-crash-" });
  try {
    const first = await startServer(dataDir, [], { NOBODY_WORKERS: "true" });
    const auth = { authorization: `Bearer ${first.token}` };
    const request = (path: string, init: RequestInit = {}) =>
      fetch(`${first.url}${path}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
    const voiceId = await voiceWithSamples(request, CLIPS);
    const job = await (await request(`/voices/${voiceId}/train`, train(true))).json();
    first.child.kill("SIGKILL");
    await first.child.status;
    await first.stop().catch(() => {});

    const second = await startServer(dataDir);
    try {
      const headers = { authorization: `Bearer ${second.token}` };
      const after = await (await fetch(`${second.url}/training/${job.id}`, { headers })).json();
      assert.equal(after.status, "interrupted");
      assert.match(after.message, /start the training again/);
      const voice = await (await fetch(`${second.url}/voices/${voiceId}`, { headers })).json();
      assert.equal(voice.status, "draft", "the voice is no longer stuck in training");
    } finally {
      await second.stop();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("training: progress reaches WebSocket clients and the SSE stream", () =>
  withConversation(async (c) => {
    const request = (path: string, init: RequestInit = {}) =>
      fetch(`${c.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${c.token}`, ...(init.headers ?? {}) },
      });
    const voiceId = await voiceWithSamples(request, CLIPS);
    const ws = await c.openSession(16_000);
    const sse = await fetch(`${c.url}/events`, { headers: { authorization: `Bearer ${c.token}` } });
    const job = await (await request(`/voices/${voiceId}/train`, train(true))).json();
    await ws.waitFor((m) => m.type === "training_finished" && m.job_id === job.id, { ms: 60_000 });
    const progress = ws.events("training_progress");
    assert.ok(progress.length >= 5);
    assert.ok(
      progress.every((m) =>
        m.job_id === job.id && m.voice_id === voiceId && typeof m.percent === "number"
      ),
    );
    assert.equal(ws.events("training_finished")[0].status, "succeeded");

    const reader = sse.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("event: training_finished")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await reader.cancel();
    assert.match(
      text,
      new RegExp(
        `event: training_progress\\ndata: \\{"type":"training_progress","job_id":"${job.id}"`,
      ),
    );
    assert.match(
      text,
      /event: training_finished\ndata: \{"type":"training_finished".*"status":"succeeded"/,
    );
  }));
