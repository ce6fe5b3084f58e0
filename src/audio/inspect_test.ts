import assert from "node:assert/strict";
import { inspectAudio } from "./inspect.ts";
import { decodeWavMono, encodeWav16, parseWavInfo } from "./wav.ts";
import {
  ffmpegConvert,
  soxConvert,
  SPEECH_FRAMES,
  SPEECH_WAV,
} from "../../tests/helpers/fixtures.ts";

Deno.test("inspectAudio() reads real speech WAV facts", async () => {
  const result = inspectAudio(await Deno.readFile(SPEECH_WAV));
  assert.ok(result.ok);
  assert.deepEqual(result.value, {
    format: "wav",
    header: { sampleRate: 48_000, channels: 1, durationMs: Math.round(SPEECH_FRAMES / 48) },
  });
});

Deno.test("inspectAudio() reads FLAC and stereo 44.1 kHz 24-bit WAV made by sox", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const flac = inspectAudio(await soxConvert(SPEECH_WAV, `${dir}/a.flac`));
    assert.ok(flac.ok);
    assert.deepEqual(flac.value, {
      format: "flac",
      header: { sampleRate: 48_000, channels: 1, durationMs: 1428 },
    });

    const wav = inspectAudio(
      await soxConvert(SPEECH_WAV, `${dir}/b.wav`, "-c", "2", "-r", "44100", "-b", "24"),
    );
    assert.ok(wav.ok);
    assert.equal(wav.value.header?.sampleRate, 44_100);
    assert.equal(wav.value.header?.channels, 2);
    assert.ok(Math.abs(wav.value.header.durationMs - 1428) <= 1, `${wav.value.header.durationMs}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("inspectAudio() recognizes compressed containers by content, not by name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const format of ["ogg", "mp3", "m4a", "webm"] as const) {
      const result = inspectAudio(await ffmpegConvert(SPEECH_WAV, `${dir}/speech.${format}`));
      assert.ok(result.ok, format);
      assert.deepEqual(result.value, { format, header: null });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("inspectAudio() explains what it cannot use", () => {
  const cases: [Uint8Array, string, RegExp][] = [
    [new Uint8Array(), "invalid_request", /empty/],
    [
      new TextEncoder().encode("hello, world"),
      "unsupported_media_type",
      /upload WAV, FLAC, Ogg, MP3 or M4A/,
    ],
    [encodeWav16(new Float32Array(0), 16_000), "invalid_request", /contains no audio/],
    [
      encodeWav16(new Float32Array(10), 16_000).subarray(0, 30),
      "invalid_request",
      /fmt chunk is truncated/,
    ],
    [new TextEncoder().encode("fLaC\0\0"), "invalid_request", /FLAC file is truncated/],
  ];
  for (const [bytes, code, pattern] of cases) {
    const result = inspectAudio(bytes);
    assert.ok(!result.ok);
    assert.equal(result.error.code, code);
    assert.match(result.error.message, pattern);
  }
});

Deno.test("encodeWav16() and decodeWavMono() round-trip within 16-bit precision", () => {
  const samples = Float32Array.from({ length: 480 }, (_, i) => Math.sin(i / 10) * 0.8);
  const decoded = decodeWavMono(encodeWav16(samples, 24_000));
  assert.ok(decoded.ok);
  assert.equal(decoded.value.sampleRate, 24_000);
  assert.equal(decoded.value.samples.length, 480);
  for (let i = 0; i < samples.length; i++) {
    assert.ok(Math.abs(decoded.value.samples[i] - samples[i]) < 1.5 / 32_768, `sample ${i}`);
  }
  const info = parseWavInfo(encodeWav16(samples, 24_000));
  assert.ok(info.ok);
  assert.equal(info.value.frames, 480);
});
