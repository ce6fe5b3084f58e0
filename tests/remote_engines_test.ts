/**
 * Speech engines on another server: one nobody (in process, with a fake local model) sends its
 * speech-to-text and text-to-speech to a second nobody's OpenAI-compatible endpoints on loopback,
 * a separate `nobody serve` process with real workers, as a laptop would to a GPU box. The
 * speaker is real (the LibriVox reader of pocketsphinx-testdata).
 */
import assert from "node:assert/strict";
import { withConversation } from "./helpers/conversation_harness.ts";
import { type ServerProcess, startServer } from "./helpers/server_process.ts";
import { librivoxClip, wordErrors } from "./helpers/speech_corpus.ts";
import { encodeWav16 } from "../src/audio/wav.ts";

const clip = librivoxClip;

/** The "GPU box": a second service with its own workers and data. */
async function withSpeechServer(fn: (box: ServerProcess) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nobody-box-" });
  const box = await startServer(dir, [], { NOBODY_WORKERS: "true", NOBODY_LOG_LEVEL: "error" });
  try {
    // Both engines serve before the laptop's turn starts.
    const deadline = Date.now() + 60_000;
    while (true) {
      const status = await (await fetch(`${box.url}/status`, {
        headers: { authorization: `Bearer ${box.token}` },
      })).json();
      if (status.workers.every((w: { state: string }) => w.state === "ready")) break;
      if (Date.now() > deadline) throw new Error("the speech server's workers never got ready");
      await new Promise((r) => setTimeout(r, 100));
    }
    await fn(box);
  } finally {
    await box.stop().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

const remoteEnv = (box: { url: string; token: string }) => ({
  NOBODY_STT_PROVIDER: "openai",
  NOBODY_STT_URL: `${box.url}/v1`,
  NOBODY_STT_API_KEY: box.token,
  NOBODY_TTS_PROVIDER: "openai",
  NOBODY_TTS_URL: `${box.url}/v1`,
  NOBODY_TTS_API_KEY: box.token,
});

Deno.test("remote engines: a spoken turn is heard and answered by a second nobody's speech endpoints", () =>
  withSpeechServer((box) =>
    withConversation(async (c) => {
      const speech = await clip(2);
      const reply = "Sure. I have noted that down for you.";
      c.llm.reply({ text: reply });
      const session = await (await c.api("/sessions", "POST", {
        persona_id: c.personaId,
        sample_rate: speech.rate,
      })).json();
      const ws = await c.connect(session.id);
      ws.speak(speech.samples, speech.rate);
      await ws.waitFor((m) => m.type === "playback_complete", { ms: 90_000 });
      assert.deepEqual(ws.events("error"), []);

      // What the laptop heard is what the box itself makes of the same recording.
      const heard = String(ws.events("transcription").find((m) => m.is_final)!.text);
      const form = new FormData();
      form.append("model", "any");
      form.append(
        "file",
        new Blob([encodeWav16(speech.samples, speech.rate) as Uint8Array<ArrayBuffer>]),
        "a.wav",
      );
      const direct = await (await fetch(`${box.url}/v1/audio/transcriptions`, {
        method: "POST",
        headers: { authorization: `Bearer ${box.token}` },
        body: form,
      })).json();
      assert.equal(heard, direct.text.trim());
      const { errors, words } = wordErrors(speech.text, heard);
      assert.ok(errors / words <= 0.6, `"${heard}" for "${speech.text}"`);
      const asked = c.llm.requests.at(-1)!.body.messages as { role: string; content: string }[];
      assert.equal(asked.at(-1)!.content, heard, "the model got the remote transcript");

      // The reply is the box's speech, resampled to the session's rate.
      const spoken = await (await fetch(`${box.url}/v1/audio/speech`, {
        method: "POST",
        headers: { authorization: `Bearer ${box.token}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "m", voice: "alloy", input: reply, response_format: "pcm" }),
      })).arrayBuffer();
      const expected = spoken.byteLength / 2 * speech.rate / 24_000;
      const got = ws.audio().length;
      assert.ok(Math.abs(got - expected) / expected < 0.1, `${got} samples, ${expected} expected`);
      assert.ok(Math.max(...ws.audio().map(Math.abs)) > 0.05, "the reply is not silence");

      const status = await (await c.api("/status")).json();
      assert.deepEqual(status.workers.map((w: { name: string }) => w.name), ["trainer"]);
      assert.deepEqual(
        status.remote_engines.map((e: Record<string, unknown>) => [e.kind, e.reachable]),
        [["stt", true], ["tts", true]],
      );
      for (const engine of status.remote_engines) {
        assert.ok(engine.calls >= 1 && engine.failures === 0, JSON.stringify(engine));
        assert.ok(!JSON.stringify(engine).includes(box.token), "the key is never shown");
      }
    }, { env: remoteEnv(box) })
  ));

Deno.test("remote engines: losing the server mid-turn gives a clear error event, and the status says so", () =>
  withSpeechServer((box) =>
    withConversation(async (c) => {
      const speech = await clip(3);
      // A long reply: the box is lost while it speaks.
      c.llm.reply({ text: "Here is a long answer. ".repeat(5) + "It goes on for a while yet." });
      const session = await (await c.api("/sessions", "POST", {
        persona_id: c.personaId,
        sample_rate: speech.rate,
      })).json();
      const ws = await c.connect(session.id);
      const from = ws.speak(speech.samples, speech.rate);
      await ws.waitFor((m) => m.type === "playback_started", { from, ms: 90_000 });
      await box.stop();
      const at = await ws.waitFor((m) => m.type === "error", { from, ms: 60_000 });
      const error = ws.eventAt(at);
      assert.match(String(error.message), /remote text-to-speech server at http:\/\/127\.0\.0\.1/);
      await ws.waitFor((m) => m.type === "state" && m.state === "idle", { from: at, ms: 30_000 });

      // The next turn cannot be heard: it says why at once.
      const next = ws.speak(speech.samples, speech.rate);
      const heardAt = await ws.waitFor((m) => m.type === "error", { from: next, ms: 60_000 });
      const second = ws.eventAt(heardAt);
      assert.match(String(second.message), /remote speech-to-text server at http:\/\/127\.0\.0\.1/);
      assert.equal(second.code, "unavailable");

      const status = await (await c.api("/status")).json();
      const [stt, tts] = status.remote_engines;
      assert.equal(stt.reachable, false);
      assert.equal(tts.reachable, false);
      assert.ok(stt.failures >= 1 && tts.failures >= 1);
      assert.match(String(stt.last_failure), /remote speech-to-text server/);
    }, { env: remoteEnv(box) })
  ));

Deno.test("remote engines: a server that redirects never gets the key sent on, and the error says why", async () => {
  const seen: (string | null)[] = [];
  const elsewhere = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (r) => {
    seen.push(r.headers.get("authorization"));
    return new Response("{}");
  });
  const target = `http://127.0.0.1:${(elsewhere.addr as Deno.NetAddr).port}`;
  const redirecting = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (r) => Response.redirect(`${target}${new URL(r.url).pathname}`, 307),
  );
  const url = `http://127.0.0.1:${(redirecting.addr as Deno.NetAddr).port}/v1`;
  try {
    await withConversation(async (c) => {
      const speech = await clip(0);
      const session = await (await c.api("/sessions", "POST", {
        persona_id: c.personaId,
        sample_rate: speech.rate,
      })).json();
      const ws = await c.connect(session.id);
      const from = ws.speak(speech.samples, speech.rate);
      const at = await ws.waitFor((m) => m.type === "error", { from, ms: 30_000 });
      const error = ws.eventAt(at);
      assert.match(String(error.message), /redirects to http:\/\/127\.0\.0\.1:\d+\/v1\/audio/);
      const status = await (await c.api("/status")).json();
      assert.equal(status.remote_engines[0].reachable, false);
      assert.deepEqual(seen, [], "nothing reached the redirect's target");
    }, {
      env: {
        NOBODY_STT_PROVIDER: "openai",
        NOBODY_STT_URL: url,
        NOBODY_STT_API_KEY: "sk-secret",
      },
    });
  } finally {
    await redirecting.shutdown();
    await elsewhere.shutdown();
  }
});
