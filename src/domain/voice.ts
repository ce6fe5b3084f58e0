/**
 * @module
 * Voices, their samples and the quality tier that the total sample duration earns.
 */
import { asObject, type Fields, onlyKnown, optionalText, text } from "./fields.ts";
import { ok, type Result } from "./result.ts";

/**
 * Tiers by total sample duration. The product promises Quick for 10–30 s, Standard for 1–5 min and
 * Professional for 10+ min; durations between those bands earn the lower tier, since more audio of
 * the lower band never hurts.
 */
export type QualityTier = "insufficient" | "quick" | "standard" | "professional";

export const TIER_MIN_MS = {
  quick: 10_000,
  standard: 60_000,
  professional: 600_000,
} as const;

export function qualityTier(totalSampleMs: number): QualityTier {
  if (totalSampleMs >= TIER_MIN_MS.professional) return "professional";
  if (totalSampleMs >= TIER_MIN_MS.standard) return "standard";
  if (totalSampleMs >= TIER_MIN_MS.quick) return "quick";
  return "insufficient";
}

export type VoiceStatus = "draft" | "training" | "ready" | "failed";

export interface Voice {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly status: VoiceStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A voice with the figures derived from its samples. */
export interface VoiceSummary extends Voice {
  readonly sampleCount: number;
  readonly totalSampleMs: number;
  readonly tier: QualityTier;
}

export interface SampleTotals {
  readonly count: number;
  readonly totalMs: number;
}

export function totalsOf(samples: readonly VoiceSample[]): SampleTotals {
  return { count: samples.length, totalMs: samples.reduce((sum, s) => sum + s.durationMs, 0) };
}

export function summarize(voice: Voice, totals: SampleTotals): VoiceSummary {
  return {
    ...voice,
    sampleCount: totals.count,
    totalSampleMs: totals.totalMs,
    tier: qualityTier(totals.totalMs),
  };
}

export type AudioFormat = "wav" | "flac";

export interface VoiceSample {
  readonly id: string;
  readonly voiceId: string;
  /** The uploader's file name, reduced to a safe display name; never used as a path. */
  readonly fileName: string;
  readonly format: AudioFormat;
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationMs: number;
  readonly sizeBytes: number;
  readonly createdAt: number;
}

export interface VoiceInput {
  readonly name: string;
  readonly description: string;
}

const VOICE_FIELDS = ["name", "description"] as const;

export function parseVoiceInput(body: unknown): Result<VoiceInput> {
  const object = asObject(body, "voice");
  if (!object.ok) return object;
  const known = onlyKnown(object.value, VOICE_FIELDS, "voice");
  if (!known.ok) return known;
  return voiceFields(known.value);
}

function voiceFields(fields: Fields): Result<VoiceInput> {
  const name = text(fields, "name", { min: 1, max: 80 });
  if (!name.ok) return name;
  const description = optionalText(fields, "description", { max: 2_000 }, "");
  if (!description.ok) return description;
  return ok({ name: name.value, description: description.value });
}

/**
 * Reduces an uploaded file name to something safe to display: the last path segment, printable
 * characters only, at most 120 of them.
 */
export function displayFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? "";
  // deno-lint-ignore no-control-regex
  const cleaned = last.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 120);
  return cleaned === "" || cleaned === "." || cleaned === ".." ? "sample" : cleaned;
}
