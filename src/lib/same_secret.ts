/**
 * @module
 * Equal-time comparison, so response timing does not reveal how much of a token matched.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameSecret } from "./same_secret.ts";
 * assert.ok(sameSecret("s3cret", "s3cret"));
 * assert.ok(!sameSecret("s3cret", "s3cre"));
 * ```
 */

export function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
