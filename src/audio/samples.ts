/**
 * @module
 * Joins chunks of float32 samples (a synthesis, a received stream) into one new array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { concatSamples } from "./samples.ts";
 * assert.deepEqual(concatSamples([new Float32Array([1]), new Float32Array([2, 3])]), new Float32Array([1, 2, 3]));
 * ```
 */

export function concatSamples(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
