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

/** Containers accepted for samples; the trainer worker decodes them (the core parses WAV and FLAC headers). */
export type AudioFormat = "wav" | "flac" | "ogg" | "mp3" | "m4a" | "webm";

export const AUDIO_FORMATS: readonly AudioFormat[] = ["wav", "flac", "ogg", "mp3", "m4a", "webm"];

/** What a person needs to know about a sample before training on it. */
export interface SampleQuality {
  readonly durationMs: number;
  /** RMS of the speech frames. */
  readonly loudnessDbfs: number;
  readonly peakDbfs: number;
  readonly clippedPercent: number;
  readonly noiseFloorDbfs: number;
  readonly snrDb: number;
  readonly speechPercent: number;
  /** Advice in plain words, e.g. "too quiet: move closer to the microphone ...". */
  readonly warnings: readonly string[];
}

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
  /** Rate of the normalized copy the engine trains on; null until the trainer has analyzed it. */
  readonly normalizedRate: number | null;
  readonly quality: SampleQuality | null;
  /** Why the sample is not analyzed (quality is null), in words a person can act on. */
  readonly analysisError: string | null;
  /** What the speech-to-text engine heard; null when it could not run. */
  readonly transcript: string | null;
  /** SHA-256 of the uploaded bytes (hex), to spot the same file added twice. */
  readonly contentSha256?: string | null;
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

/** The quality of a voice's samples taken together, with advice on what to fix first. */
export interface VoiceReport {
  readonly analyzedCount: number;
  readonly totalMs: number;
  /** Loudest minus quietest sample's loudness; samples far apart train an uneven voice. */
  readonly loudnessSpreadDb: number | null;
  readonly lowestSnrDb: number | null;
  readonly warnings: readonly string[];
}

/** Differences above this between samples are audible as a voice that changes level. */
export const LOUDNESS_SPREAD_WARNING_DB = 10;

export function voiceReport(samples: readonly VoiceSample[]): VoiceReport {
  const analyzed = samples.flatMap((s) => s.quality ? [s.quality] : []);
  const warnings: string[] = [];
  const { totalMs } = totalsOf(samples);
  if (totalMs < TIER_MIN_MS.quick) {
    const missing = Math.ceil((TIER_MIN_MS.quick - totalMs) / 1000);
    warnings.push(`not enough audio: add ${missing} s more speech to train a Quick voice`);
  }
  // Grouped by the warning's headline, the words before the colon.
  const counts = new Map<string, number>();
  for (const q of analyzed) {
    for (const w of q.warnings) {
      const head = w.split(":")[0];
      counts.set(head, (counts.get(head) ?? 0) + 1);
    }
  }
  for (const [head, n] of counts) {
    warnings.push(`${n} of ${samples.length} sample${samples.length === 1 ? "" : "s"}: ${head}`);
  }
  const unanalyzed = samples.filter((s) => s.quality === null);
  if (unanalyzed.length > 0) {
    const reasons = [...new Set(unanalyzed.map((s) => s.analysisError ?? "no reason recorded"))];
    warnings.push(
      `${unanalyzed.length} sample${unanalyzed.length === 1 ? " is" : "s are"} not analyzed (${
        reasons.join("; ")
      }); delete and upload again to analyze`,
    );
  }
  const loud = analyzed.filter((q) => q.speechPercent > 0).map((q) => q.loudnessDbfs);
  const spread = loud.length > 1 ? Math.max(...loud) - Math.min(...loud) : loud.length ? 0 : null;
  if (spread !== null && spread > LOUDNESS_SPREAD_WARNING_DB) {
    warnings.push(
      `uneven loudness: samples differ by ${
        spread.toFixed(0)
      } dB; record them at the same distance and gain`,
    );
  }
  return {
    analyzedCount: analyzed.length,
    totalMs,
    loudnessSpreadDb: spread === null ? null : Math.round(spread * 10) / 10,
    lowestSnrDb: analyzed.length ? Math.min(...analyzed.map((q) => q.snrDb)) : null,
    warnings,
  };
}
