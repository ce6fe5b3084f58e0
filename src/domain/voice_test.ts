import assert from "node:assert/strict";
import {
  displayFileName,
  parseVoiceInput,
  qualityTier,
  summarize,
  totalsOf,
  type VoiceSample,
} from "./voice.ts";

Deno.test("qualityTier() follows the band edges", () => {
  assert.equal(qualityTier(0), "insufficient");
  assert.equal(qualityTier(9_999), "insufficient");
  assert.equal(qualityTier(10_000), "quick");
  assert.equal(qualityTier(30_000), "quick");
  assert.equal(qualityTier(59_999), "quick");
  assert.equal(qualityTier(60_000), "standard");
  assert.equal(qualityTier(300_000), "standard");
  assert.equal(qualityTier(599_999), "standard");
  assert.equal(qualityTier(600_000), "professional");
  assert.equal(qualityTier(3_600_000), "professional");
});

Deno.test("summarize() adds up sample durations into a tier", () => {
  const voice = {
    id: "voice_aaaaaaaaaaaaaaaaaaaa",
    name: "Me",
    description: "",
    status: "draft" as const,
    createdAt: 1,
    updatedAt: 1,
  };
  const sample = (durationMs: number): VoiceSample => ({
    id: "sample_aaaaaaaaaaaaaaaaaaaa",
    voiceId: voice.id,
    fileName: "a.wav",
    format: "wav",
    sampleRate: 48_000,
    channels: 1,
    durationMs,
    sizeBytes: 10,
    createdAt: 1,
    normalizedRate: null,
    quality: null,
    analysisError: null,
    transcript: null,
  });
  const summary = summarize(voice, totalsOf([sample(40_000), sample(25_000)]));
  assert.equal(summary.sampleCount, 2);
  assert.equal(summary.totalSampleMs, 65_000);
  assert.equal(summary.tier, "standard");
});

Deno.test("parseVoiceInput() trims and defaults", () => {
  const result = parseVoiceInput({ name: "  My voice " });
  assert.deepEqual(result, { ok: true, value: { name: "My voice", description: "" } });
});

Deno.test("parseVoiceInput() names the field it rejects", () => {
  const cases: [unknown, RegExp][] = [
    [null, /must be a JSON object/],
    [[], /must be a JSON object/],
    [{}, /"name" must be a string/],
    [{ name: "   " }, /"name" must not be empty/],
    [{ name: "x".repeat(81) }, /"name" must be at most 80/],
    [{ name: "a", description: 3 }, /"description" must be a string/],
    [{ name: "a", colour: "red" }, /unknown field "colour"/],
  ];
  for (const [body, pattern] of cases) {
    const result = parseVoiceInput(body);
    assert.ok(!result.ok);
    assert.equal(result.error.code, "invalid_request");
    assert.match(result.error.message, pattern);
  }
});

Deno.test("displayFileName() keeps only a safe last segment", () => {
  assert.equal(displayFileName("../../etc/passwd"), "passwd");
  assert.equal(displayFileName("C:\\Users\\me\\take 1.wav"), "take 1.wav");
  assert.equal(displayFileName("a\u0000b\nc.wav"), "abc.wav");
  assert.equal(displayFileName(".."), "sample");
  assert.equal(displayFileName(""), "sample");
  assert.equal(displayFileName("x".repeat(300)).length, 120);
});
