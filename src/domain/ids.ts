/**
 * @module
 * Entity ids: a kind prefix and 20 lowercase base32 characters (100 random bits). The strict shape
 * doubles as a guard: an id that passes can be used in a file path without traversal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isId, makeId } from "./ids.ts";
 * const id = makeId("voice", new Uint8Array(20));
 * assert.equal(id, "voice_aaaaaaaaaaaaaaaaaaaa");
 * assert.ok(isId("voice", id));
 * assert.ok(!isId("voice", "voice_../../etc/passwd"));
 * ```
 */
import { fail, ok, type Result } from "./result.ts";

export type IdKind = "voice" | "sample" | "persona" | "job" | "session";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const BODY_LENGTH = 20;

/** Makes an id from random bytes supplied by the caller, which keeps this module pure. */
export function makeId(kind: IdKind, random: Uint8Array): string {
  if (random.length < BODY_LENGTH) {
    throw new RangeError(`makeId needs ${BODY_LENGTH} random bytes, got ${random.length}`);
  }
  let body = "";
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[random[i] & 31];
  return `${kind}_${body}`;
}

const ID_PATTERN = /^(voice|sample|persona|job|session)_[a-z2-7]{20}$/;

export function isId(kind: IdKind, value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value) && value.startsWith(`${kind}_`);
}

export function parseId(kind: IdKind, value: unknown): Result<string> {
  if (isId(kind, value)) return ok(value);
  const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 64)) : typeof value;
  return fail(
    "invalid_id",
    `${shown} is not a ${kind} id (expected ${kind}_ and 20 characters a-z, 2-7)`,
  );
}
