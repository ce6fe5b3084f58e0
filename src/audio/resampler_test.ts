import assert from "node:assert/strict";
import { Resampler } from "./resampler.ts";
import { concatSamples } from "./samples.ts";

const tone = (hz: number, rate: number, seconds: number) =>
  Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => 0.5 * Math.sin(2 * Math.PI * hz * i / rate),
  );

/** Amplitude of `hz` in `x` (a single-bin DFT), ignoring the first and last 10 ms. */
function amplitude(x: Float32Array, hz: number, rate: number): number {
  const skip = Math.round(rate / 100);
  let re = 0, im = 0, n = 0;
  for (let i = skip; i < x.length - skip; i++, n++) {
    re += x[i] * Math.cos(2 * Math.PI * hz * i / rate);
    im += x[i] * Math.sin(2 * Math.PI * hz * i / rate);
  }
  return 2 * Math.hypot(re, im) / n;
}

function resampleInPieces(r: Resampler, input: Float32Array, piece: number): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += piece) parts.push(r.process(input.subarray(i, i + piece)));
  parts.push(r.flush());
  return concatSamples(parts);
}

Deno.test("Resampler keeps a tone's pitch, level and length from 24 kHz to 48 and 16 kHz", () => {
  const input = tone(440, 24_000, 1);
  for (const rate of [48_000, 16_000, 44_100]) {
    const out = resampleInPieces(new Resampler(24_000, rate), input, 480);
    assert.ok(Math.abs(out.length - rate) <= 2, `${rate}: ${out.length} samples for 1 s`);
    const level = amplitude(out, 440, rate);
    assert.ok(Math.abs(level - 0.5) < 0.01, `${rate}: 440 Hz at ${level}`);
  }
});

Deno.test("Resampler gives the same output whatever the pieces it is fed", () => {
  const input = tone(1_000, 24_000, 0.3);
  const whole = resampleInPieces(new Resampler(24_000, 16_000), input, input.length);
  const bits = resampleInPieces(new Resampler(24_000, 16_000), input, 7);
  assert.equal(bits.length, whole.length);
  for (let i = 0; i < whole.length; i++) assert.ok(Math.abs(bits[i] - whole[i]) < 1e-5, `at ${i}`);
});

Deno.test("Resampler filters what the lower rate cannot carry instead of folding it down", () => {
  // 11 kHz fits 24 kHz audio but not 16 kHz: unfiltered it would alias to 5 kHz.
  const out = resampleInPieces(new Resampler(24_000, 16_000), tone(11_000, 24_000, 0.5), 480);
  assert.ok(amplitude(out, 5_000, 16_000) < 0.01, `alias at ${amplitude(out, 5_000, 16_000)}`);
});

Deno.test("Resampler at equal rates copies, and refuses input after flush", () => {
  const r = new Resampler(24_000, 24_000);
  const input = tone(100, 24_000, 0.01);
  assert.deepEqual(r.process(input), input);
  const other = new Resampler(24_000, 48_000);
  other.flush();
  assert.throws(() => other.process(input), /flushed/);
});
