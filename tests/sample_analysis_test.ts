/**
 * Sample uploads analyzed by the real trainer and speech-to-text workers: every common format is
 * decoded and normalized, each sample gets a quality report and a transcript, the voice a report
 * of all of them, and files that cannot be decoded store nothing.
 */
import assert from "node:assert/strict";
import { expectError, type Harness, multipart, withCore } from "./helpers/core_harness.ts";
import { ffmpegConvert, soxConvert, SPEECH_WAV } from "./helpers/fixtures.ts";
import { decodeWavMono } from "../src/audio/wav.ts";

const SENTENCE =
  "good morning i would like to record a few sentences so that my voice can be measured";

async function espeak(text: string, out: string): Promise<void> {
  const { code } = await new Deno.Command("espeak-ng", {
    args: ["-v", "en-us", "-s", "140", "-w", out, text],
  }).output();
  assert.equal(code, 0);
}

async function newVoice(h: Harness): Promise<string> {
  const response = await h.json("/voices", "POST", {
    name: `V ${crypto.randomUUID().slice(0, 8)}`,
  });
  return (await response.json()).id;
}

const upload = (h: Harness, voiceId: string, bytes: Uint8Array<ArrayBuffer>, name: string) =>
  h.request(`/voices/${voiceId}/samples`, { method: "POST", body: multipart("file", bytes, name) });

/** The files in a voice's samples folder and in the upload staging folder (absent reads as empty). */
const sampleFiles = (h: Harness, voiceId: string) =>
  [`${h.dataDir}/voices/${voiceId}/samples`, `${h.dataDir}/tmp/uploads`].flatMap((dir) => {
    try {
      return [...Deno.readDirSync(dir)].map((e) => e.name);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
  }).sort();

Deno.test("samples: WAV, FLAC, Ogg, MP3 and M4A are decoded, normalized, reported and transcribed", () =>
  withCore(async (h) => {
    const dir = await Deno.makeTempDir();
    try {
      const source = `${dir}/sentence.wav`;
      await espeak(SENTENCE, source); // 22.05 kHz mono
      const uploads: [string, Uint8Array<ArrayBuffer>][] = [
        ["stereo-24bit.wav", await soxConvert(source, `${dir}/a.wav`, "-c", "2", "-b", "24")],
        ["take.flac", await soxConvert(source, `${dir}/a.flac`)],
        ["take.ogg", await ffmpegConvert(source, `${dir}/a.ogg`, "-c:a", "libvorbis")],
        ["take.mp3", await ffmpegConvert(source, `${dir}/a.mp3`)],
        ["take.m4a", await ffmpegConvert(source, `${dir}/a.m4a`)],
      ];
      const frames = decodeWavMono(await Deno.readFile(source));
      assert.ok(frames.ok);
      const expectedMs = frames.value.samples.length / 22.05;
      const voiceId = await newVoice(h);
      for (const [name, bytes] of uploads) {
        const response = await upload(h, voiceId, bytes, name);
        const sample = await response.json();
        assert.equal(response.status, 201, `${name}: ${JSON.stringify(sample)}`);
        assert.equal(sample.format, name.split(".").pop());
        assert.equal(sample.sample_rate, 22_050, `${name}: the upload's own rate`);
        assert.equal(sample.channels, name.startsWith("stereo") ? 2 : 1, name);
        // Lossy encoders pad the start and the end by a few frames.
        assert.ok(
          Math.abs(sample.duration_ms - expectedMs) < 120,
          `${name}: ${sample.duration_ms} ms`,
        );
        assert.equal(sample.normalized_rate, 16_000);
        assert.ok(sample.quality.loudness_dbfs > -30 && sample.quality.loudness_dbfs < 0, name);
        assert.ok(sample.quality.snr_db > 30, `${name}: SNR ${sample.quality.snr_db}`);
        assert.ok(sample.quality.speech_percent > 40, name);
        assert.deepEqual(sample.quality.warnings, [], name);
        // Every format reaches the recognizer. How well it hears real people is measured on real
        // speech (tests/speech_corpus_test.ts); synthetic espeak speech says little about that.
        const heard = new Set(sample.transcript.split(" "));
        const words = new Set(SENTENCE.split(" "));
        const hits = [...words].filter((w) => heard.has(w)).length;
        assert.ok(hits >= 2, `${name}: heard "${sample.transcript}"`);

        const normalized = decodeWavMono(
          await Deno.readFile(`${h.dataDir}/voices/${voiceId}/samples/${sample.id}.norm.wav`),
        );
        assert.ok(normalized.ok);
        assert.equal(normalized.value.sampleRate, 16_000);
        assert.ok(
          Math.abs(normalized.value.samples.length / 16 - sample.duration_ms) < 2,
          `${name}: the normalized copy is as long as the sample`,
        );
      }
      const { samples } = await (await h.request(`/voices/${voiceId}/samples`)).json();
      assert.equal(samples.length, uploads.length);
      assert.equal(
        sampleFiles(h, voiceId).length,
        2 * uploads.length,
        "original + normalized each",
      );
      const audio = await h.request(`/voices/${voiceId}/samples/${samples[3].id}/audio`);
      assert.equal(audio.headers.get("content-type"), "audio/mpeg");
      assert.deepEqual(
        new Uint8Array(await audio.arrayBuffer()),
        uploads[3][1],
        "the original is kept",
      );

      // Deleting a sample deletes both of its files.
      await h.request(`/voices/${voiceId}/samples/${samples[3].id}`, { method: "DELETE" });
      assert.ok(!sampleFiles(h, voiceId).some((f) => f.startsWith(samples[3].id)));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }, { workers: true }));

Deno.test("samples: problems are reported per sample and for the voice, in plain words", () =>
  withCore(async (h) => {
    const dir = await Deno.makeTempDir();
    try {
      const voiceId = await newVoice(h);
      const clean = await Deno.readFile(SPEECH_WAV);
      const quiet = await ffmpegConvert(SPEECH_WAV, `${dir}/quiet.wav`, "-af", "volume=0.005");
      await (await upload(h, voiceId, clean, "clean.wav")).body?.cancel();
      const response = await upload(h, voiceId, quiet, "quiet.wav");
      const sample = await response.json();
      assert.equal(response.status, 201);
      assert.ok(sample.quality.warnings.some((w: string) => w.startsWith("too quiet")));

      const voice = await (await h.request(`/voices/${voiceId}`)).json();
      assert.equal(voice.report.analyzed_count, 2);
      assert.ok(voice.report.loudness_spread_db > 40, `${voice.report.loudness_spread_db}`);
      const warnings: string[] = voice.report.warnings;
      assert.ok(
        warnings.some((w) => w.startsWith("not enough audio: add 8 s more")),
        `${warnings}`,
      );
      assert.ok(warnings.includes("1 of 2 samples: too quiet"), `${warnings}`);
      assert.ok(warnings.some((w) => w.startsWith("uneven loudness")), `${warnings}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }, { workers: true }));

Deno.test("samples: a corrupt or truncated compressed file is a clear 400 and stores nothing", () =>
  withCore(async (h) => {
    const dir = await Deno.makeTempDir();
    try {
      const voiceId = await newVoice(h);
      const ogg = await ffmpegConvert(SPEECH_WAV, `${dir}/a.ogg`, "-c:a", "libvorbis");
      const garbage = new Uint8Array(4000).map((_, i) => (i * 7919) % 251);
      garbage.set([0x49, 0x44, 0x33]); // "ID3": looks like MP3 from the outside
      for (
        const [name, bytes] of [["cut.ogg", ogg.slice(0, 80)], ["noise.mp3", garbage]] as const
      ) {
        const error = await expectError(
          await upload(h, voiceId, bytes, name),
          400,
          "invalid_request",
        );
        assert.match(error.message, /could not be decoded|contains no audio/, name);
      }
      assert.deepEqual(sampleFiles(h, voiceId), []);
      assert.deepEqual((await (await h.request(`/voices/${voiceId}/samples`)).json()).samples, []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }, { workers: true }));

Deno.test("samples: without the trainer, WAV is kept unanalyzed and compressed formats are refused", () =>
  withCore(async (h) => {
    const dir = await Deno.makeTempDir();
    try {
      const voiceId = await newVoice(h);
      const wav = await (await upload(h, voiceId, await Deno.readFile(SPEECH_WAV), "a.wav")).json();
      assert.equal(wav.quality, null);
      assert.equal(wav.normalized_rate, null);
      assert.match(wav.analysis_error, /^the voice trainer could not analyze it: /);
      const mp3 = await ffmpegConvert(SPEECH_WAV, `${dir}/a.mp3`);
      const error = await expectError(await upload(h, voiceId, mp3, "a.mp3"), 503, "unavailable");
      assert.match(
        error.message,
        /MP3 samples are decoded by the voice trainer, which is not running/,
      );
      const voice = await (await h.request(`/voices/${voiceId}`)).json();
      assert.ok(
        voice.report.warnings.some((w: string) =>
          w.startsWith("1 sample is not analyzed (the voice trainer could not analyze it: ")
        ),
        voice.report.warnings.join("\n"),
      );
      assert.deepEqual(sampleFiles(h, voiceId), [`${wav.id}.wav`]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }));
