/**
 * The OpenAI-compatible audio endpoints driven by the official `openai` SDK, pointed at a real
 * `nobody serve` with its workers: speech in every format, transcription in every response format,
 * and the SDK's own error type for bad requests.
 */
import assert from "node:assert/strict";
import OpenAI, { toFile } from "openai";
import { startServer } from "./helpers/server_process.ts";
import { decodeWavMono } from "../src/audio/wav.ts";

const PHRASE =
  "good morning i would like to record a few sentences so that my voice can be measured";

Deno.test("openai SDK: speech as wav, pcm and mp3 transcribes back through /v1/audio/transcriptions", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(dir, [], { NOBODY_WORKERS: "true" });
  try {
    const client = new OpenAI({ apiKey: server.token, baseURL: `${server.url}/v1` });

    const wav = new Uint8Array(
      await (await client.audio.speech.create({
        model: "tts-1",
        voice: "alloy",
        input: PHRASE,
        response_format: "wav",
        // pocketsphinx follows espeak best at about 140 words per minute.
        speed: 0.8,
      })).arrayBuffer(),
    );
    // The streamed WAV's sizes mean "until the end"; the samples follow the 44-byte header.
    const pcmFromWav = new Int16Array(wav.slice(44).buffer);
    assert.ok(pcmFromWav.length / 24_000 > 2, `${pcmFromWav.length} samples of speech`);

    const pcmResponse = await client.audio.speech.create({
      model: "tts-1",
      voice: "default",
      input: PHRASE,
      response_format: "pcm",
      speed: 1.6,
    });
    const pcm = new Int16Array(await pcmResponse.arrayBuffer());
    assert.ok(
      pcm.length < pcmFromWav.length * 0.8,
      `speed 1.6 is shorter: ${pcm.length} vs ${pcmFromWav.length}`,
    );

    const mp3 = new Uint8Array(
      await (await client.audio.speech.create({
        model: "tts-1",
        voice: "nova",
        input: PHRASE,
        speed: 0.8,
      }))
        .arrayBuffer(),
    );
    assert.ok(
      mp3[0] === 0xff || String.fromCharCode(...mp3.subarray(0, 3)) === "ID3",
      "MP3 frames",
    );

    // A WAV with exact sizes for the transcription, made from the streamed samples.
    const samples = Float32Array.from(pcmFromWav, (x) => x / 32768);
    const { encodeWav16 } = await import("../src/audio/wav.ts");
    const exactWav = encodeWav16(samples, 24_000);
    assert.ok(decodeWavMono(exactWav).ok);
    const words = new Set(PHRASE.split(" "));
    const score = (text: string) => text.split(" ").filter((w) => words.has(w)).length;

    const json = await client.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(exactWav, "speech.wav"),
    });
    assert.ok(score(json.text) >= 5, `json: "${json.text}"`);

    const text = await client.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(mp3, "speech.mp3"),
      response_format: "text",
    });
    assert.equal(typeof text, "string");
    assert.ok(score(text as unknown as string) >= 5, `text from mp3: "${text}"`);

    const verbose = await client.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(exactWav, "speech.wav"),
      response_format: "verbose_json",
    });
    assert.ok(Math.abs(verbose.duration - samples.length / 24_000) < 0.01, `${verbose.duration}`);
    assert.equal(verbose.language, "en");
    assert.equal(verbose.segments?.[0].text, verbose.text);

    // Errors arrive as the SDK's typed errors with nobody's message.
    await assert.rejects(
      client.audio.speech.create({ model: "tts-1", voice: "nobody-here", input: "hi" }),
      (e: unknown) => e instanceof OpenAI.NotFoundError && /voice nobody-here/.test(e.message),
    );
    await assert.rejects(
      client.audio.speech.create({ model: "tts-1", voice: "alloy", input: "" }),
      (e: unknown) =>
        e instanceof OpenAI.BadRequestError && /"input" must be some text/.test(e.message),
    );
    await assert.rejects(
      client.audio.transcriptions.create({
        model: "whisper-1",
        file: await toFile(new TextEncoder().encode("not audio"), "a.wav"),
      }),
      (e: unknown) => e instanceof OpenAI.APIError && e.status === 415,
    );
    // A cloned voice is named like any other, and must be trained before it speaks.
    await fetch(`${server.url}/voices`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada" }),
    }).then((r) => r.body?.cancel());
    await assert.rejects(
      client.audio.speech.create({ model: "tts-1", voice: "ada", input: "hi" }),
      (e: unknown) =>
        e instanceof OpenAI.ConflictError && /"Ada" is draft, not trained/.test(e.message),
    );
    const wrongKey = new OpenAI({ apiKey: "wrong", baseURL: `${server.url}/v1` });
    await assert.rejects(
      wrongKey.audio.speech.create({ model: "tts-1", voice: "alloy", input: "hi" }),
      (e: unknown) => e instanceof OpenAI.AuthenticationError,
    );
    // Nothing is left behind in the temp area.
    assert.deepEqual([...Deno.readDirSync(`${dir}/tmp`)], []);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
