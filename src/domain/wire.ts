/**
 * @module
 * The public API's JSON, as a type: the domain's camelCase keys spelled snake_case, as
 * `toWireCase` sends them. The dashboard types its messages with it, so a change in the domain's
 * messages is a type error in the dashboard rather than a silent drift.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Wire } from "./wire.ts";
 * const timing: Wire<{ firstAudioMs: number }> = { first_audio_ms: 12 };
 * assert.equal(timing.first_audio_ms, 12);
 * ```
 */

/** `firstAudioMs` -> `first_audio_ms`. */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

export type Wire<T> = T extends readonly (infer Item)[] ? Wire<Item>[]
  : T extends object
    ? { -readonly [K in keyof T as K extends string ? SnakeCase<K> : K]: Wire<T[K]> }
  : T;
