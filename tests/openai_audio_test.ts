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

    // Subtitles: one cue over the whole recording, in each format's own clock. The duration is
    // the one verbose_json gave (checked against the samples above): the service measures it on
    // its 16 kHz copy, which can round to the next millisecond.
    const end = new Date(Math.round(verbose.duration * 1000)).toISOString().slice(11, 23);
    const srt = await client.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(exactWav, "speech.wav"),
      response_format: "srt",
    }) as unknown as string;
    assert.equal(srt, `1\n00:00:00,000 --> ${end.replace(".", ",")}\n${verbose.text}\n\n`);
    const vtt = await client.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(exactWav, "speech.wav"),
      response_format: "vtt",
    }) as unknown as string;
    assert.equal(vtt, `WEBVTT\n\n00:00:00.000 --> ${end}\n${verbose.text}\n\n`);

    // FLAC, Opus (in Ogg) and AAC (ADTS) stream through ffmpeg like MP3; the Opus comes back in words.
    const speak = async (format: "flac" | "opus" | "aac") =>
      new Uint8Array(
        await (await client.audio.speech.create({
          model: "tts-1",
          voice: "alloy",
          input: PHRASE,
          response_format: format,
          speed: 0.8,
        })).arrayBuffer(),
      );
    const flac = await speak("flac");
    assert.equal(new TextDecoder().decode(flac.subarray(0, 4)), "fLaC");
    const opus = await speak("opus");
    assert.equal(new TextDecoder().decode(opus.subarray(0, 4)), "OggS");
    assert.ok(new TextDecoder().decode(opus.subarray(0, 64)).includes("OpusHead"));
    const aac = await speak("aac");
    assert.ok(aac[0] === 0xff && (aac[1] & 0xf6) === 0xf0, `ADTS sync: ${aac.subarray(0, 2)}`);
    for (const [bytes, name] of [[opus, "speech.opus"], [flac, "speech.flac"]] as const) {
      const back = await client.audio.transcriptions.create({
        model: "whisper-1",
        file: await toFile(bytes, name),
      });
      assert.ok(score(back.text) >= 5, `${name}: "${back.text}"`);
    }

    // Clients list models before they use one (Open WebUI does).
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    assert.ok(models.includes("tts-1") && models.includes("whisper-1"), models.join());
    assert.equal((await client.models.retrieve("whisper-1")).owned_by, "nobody");
    await assert.rejects(
      client.models.retrieve("gpt-5"),
      (e: unknown) => e instanceof OpenAI.NotFoundError,
    );

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
