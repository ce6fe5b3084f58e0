/**
 * @module
 * Where a voice's files live in the file store, as keys relative to the data dir. Pure naming,
 * shared by the services that write and read them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleKey, voiceDir } from "./voice_files.ts";
 * assert.equal(voiceDir("voice_a"), "voices/voice_a");
 * assert.equal(sampleKey({ voiceId: "voice_a", id: "sample_b", format: "wav" }), "voices/voice_a/samples/sample_b.wav");
 * ```
 */
import type { VoiceSample } from "./voice.ts";

/** Where the start-up sweep puts files the database does not know: never deleted by nobody. */
export const QUARANTINE_DIR = "quarantine";

export const voiceDir = (voiceId: string) => `voices/${voiceId}`;
export const samplesDir = (voiceId: string) => `${voiceDir(voiceId)}/samples`;
export const sampleKey = (s: Pick<VoiceSample, "voiceId" | "id" | "format">) =>
  `${samplesDir(s.voiceId)}/${s.id}.${s.format}`;
/** The copy the engine trains on: 16-bit mono WAV at the engine's rate. */
export const normalizedKey = (s: Pick<VoiceSample, "voiceId" | "id">) =>
  `${samplesDir(s.voiceId)}/${s.id}.norm.wav`;
/** The file training reads: the normalized copy when there is one. */
export const trainingKey = (s: VoiceSample) =>
  s.normalizedRate === null ? sampleKey(s) : normalizedKey(s);
