import assert from "node:assert/strict";
import { NobodyError } from "../../domain/errors.ts";
import { decodeWavMono } from "../../audio/wav.ts";
import { RemoteEndpoint } from "./remote_endpoint.ts";
import { RemoteSttEngine } from "./remote_stt.ts";
import { pcm16, RemoteTtsEngine } from "./remote_tts.ts";

interface Seen {
  path: string;
  authorization: string | null;
  json?: Record<string, unknown>;
  form?: FormData;
}

/** A local stand-in for an OpenAI-compatible speech server; `answer` decides each reply. */
async function withServer(
  answer: (request: Request) => Response | Promise<Response>,
  fn: (url: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (r) => {
    const entry: Seen = {
      path: new URL(r.url).pathname,
      authorization: r.headers.get("authorization"),
    };
    const copy = r.clone();
    if (r.headers.get("content-type")?.includes("json")) entry.json = await copy.json();
    if (r.headers.get("content-type")?.includes("multipart")) entry.form = await copy.formData();
    seen.push(entry);
    return await answer(r);
  });
  try {
    await fn(`http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/v1`, seen);
  } finally {
    await server.shutdown();
  }
}

const endpoint = (kind: "stt" | "tts", url: string, timeoutMs = 5_000) =>
  new RemoteEndpoint({ kind, url, apiKey: "sk-test", model: "m1", timeoutMs });

/** A 24 kHz tone as 16-bit PCM, sent in pieces of odd sizes so samples split across them. */
function pcmResponse(seconds: number, type = "audio/pcm"): Response {
  const n = 24_000 * seconds;
  const bytes = new Uint8Array(n * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) view.setInt16(i * 2, Math.round(8_000 * Math.sin(i / 10)), true);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // An odd first piece: every sample after it is split across two pieces.
      controller.enqueue(bytes.slice(0, 1));
      for (let at = 1; at < bytes.length; at += 1_000) {
        controller.enqueue(bytes.slice(at, at + 1_000));
      }
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": type } });
}

Deno.test("RemoteTtsEngine asks for raw PCM with the key and the voice's name, and resamples it", async () => {
  await withServer(() => pcmResponse(0.5), async (url, seen) => {
    const tts = new RemoteTtsEngine(endpoint("tts", url), {
      defaultVoice: "alloy",
      voiceName: (id) => id === "voice_a" ? "Ada" : null,
    });
    const chunks = [];
    for await (const c of tts.synthesize("Hello.", { voiceId: "voice_a", sampleRate: 48_000 })) {
      chunks.push(c);
    }
    const total = chunks.reduce((n, c) => n + c.samples.length, 0);
    assert.ok(Math.abs(total - 24_000) <= 2, `${total} samples at 48 kHz for 0.5 s`);
    assert.ok(chunks.every((c) => c.sampleRate === 48_000 && c.textIndex === 0));
    assert.ok(Math.max(...chunks.flatMap((c) => [...c.samples].map(Math.abs))) > 0.2);
    assert.equal(seen[0].path, "/v1/audio/speech");
    assert.equal(seen[0].authorization, "Bearer sk-test");
    assert.deepEqual(seen[0].json, {
      model: "m1",
      input: "Hello.",
      voice: "Ada",
      response_format: "pcm",
    });

    // A stream sends each piece as its own request, in order, with the default voice.
    const stream = tts.stream({ sampleRate: 24_000 });
    stream.pushText("One.");
    stream.pushText("Two.");
    stream.endInput();
    const indices = new Set<number>();
    for await (const c of stream.chunks) indices.add(c.textIndex);
    assert.deepEqual([...indices], [0, 1]);
    assert.deepEqual(seen.slice(1).map((s) => [s.json!.input, s.json!.voice]), [
      ["One.", "alloy"],
      ["Two.", "alloy"],
    ]);
  });
});

Deno.test("pcm16() carries a split sample's byte into a chunk of any size", () => {
  const first = pcm16(Uint8Array.of(0x00, 0x40, 0x01), null);
  assert.deepEqual([...first.samples], [0.5]);
  assert.equal(first.rest, 0x01);
  const big = new Uint8Array(300_001); // a fast network's read: 6 s of audio at once
  big[0] = 0x80; // with the carried 0x01: -32767
  const next = pcm16(big, first.rest);
  assert.equal(next.samples.length, 150_001);
  assert.equal(next.samples[0], (0x8001 - 0x10000) / 32768);
  assert.equal(next.rest, null);
});

Deno.test("RemoteTtsEngine refuses audio it did not ask for, and names the server", async () => {
  await withServer(() => pcmResponse(0.1, "audio/mpeg"), async (url) => {
    const tts = new RemoteTtsEngine(endpoint("tts", url), {
      defaultVoice: "a",
      voiceName: () => null,
    });
    await assert.rejects(
      (async () => {
        for await (const _ of tts.synthesize("Hi.")) { /* nothing may arrive */ }
      })(),
      (e: unknown) =>
        e instanceof NobodyError &&
        /text-to-speech server at http:\/\/127\.0\.0\.1:\d+ answered with audio\/mpeg/.test(
          e.message,
        ),
    );
  });
});

Deno.test("RemoteSttEngine sends the turn as one WAV, with the phrases as the prompt", async () => {
  await withServer(() => Response.json({ text: " play some music " }), async (url, seen) => {
    const stt = new RemoteSttEngine(endpoint("stt", url));
    const stream = stt.stream({
      sampleRate: 16_000,
      language: "en-US",
      phrases: ["play some music"],
    });
    for (let i = 0; i < 10; i++) stream.pushAudio(new Float32Array(1_600).fill(0.25));
    stream.endInput();
    const events = [];
    for await (const e of stream.events) events.push(e);
    assert.deepEqual(events, [{
      type: "final",
      text: "play some music",
      audioMs: 1_000,
      endOfTurnProbability: 1,
    }]);
    const form = seen[0].form!;
    assert.equal(seen[0].path, "/v1/audio/transcriptions");
    assert.equal(seen[0].authorization, "Bearer sk-test");
    assert.equal(form.get("model"), "m1");
    assert.equal(form.get("language"), "en");
    assert.equal(form.get("prompt"), "play some music");
    const wav = decodeWavMono(new Uint8Array(await (form.get("file") as File).arrayBuffer()));
    assert.ok(wav.ok);
    assert.equal(wav.value.sampleRate, 16_000);
    assert.equal(wav.value.samples.length, 16_000);
  });
});

Deno.test("remote engines fail with clear errors: a hung server, a refused key, a dead address", async () => {
  // Answers long after the client's 200 ms limit (then the test server can shut down).
  const hang = () =>
    new Promise<Response>((resolve) => setTimeout(() => resolve(new Response(null)), 1_500));
  await withServer(hang, async (url) => {
    const stream = new RemoteSttEngine(endpoint("stt", url, 200)).stream({ sampleRate: 16_000 });
    stream.pushAudio(new Float32Array(160));
    stream.endInput();
    await assert.rejects(
      (async () => {
        for await (const _ of stream.events) { /* none */ }
      })(),
      /speech-to-text server at http:\/\/127\.0\.0\.1:\d+ did not start answering within 200 ms/,
    );
  });
  await withServer(
    () => Response.json({ error: { message: "bad key" } }, { status: 401 }),
    async (url) => {
      const remote = endpoint("tts", url);
      const tts = new RemoteTtsEngine(remote, { defaultVoice: "a", voiceName: () => null });
      await assert.rejects(
        (async () => {
          for await (const _ of tts.synthesize("Hi.")) { /* none */ }
        })(),
        /answered 401: bad key/,
      );
      const status = await remote.status();
      assert.equal(status.reachable, false);
      assert.match(String(status.error), /answered 401 \(check its api_key\)/);
      assert.deepEqual([status.calls, status.failures], [1, 1]);
      assert.match(String(status.lastFailure), /bad key/);
    },
  );
  const closed = endpoint("stt", "http://127.0.0.1:9/v1");
  const stream = new RemoteSttEngine(closed).stream({ sampleRate: 16_000 });
  stream.endInput();
  await assert.rejects(
    (async () => {
      for await (const _ of stream.events) { /* none */ }
    })(),
    /cannot reach the remote speech-to-text server at http:\/\/127\.0\.0\.1:9/,
  );
});
