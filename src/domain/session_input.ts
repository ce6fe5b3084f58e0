/**
 * @module
 * The body of POST /sessions.
 */
import { asObject, onlyKnown } from "./fields.ts";
import { isId } from "./ids.ts";
import { fail, ok, type Result } from "./result.ts";
import {
  type AudioMode,
  MAX_SAMPLE_RATE,
  MIN_SAMPLE_RATE,
  TURN_MODES,
  type TurnMode,
} from "./session_messages.ts";

export interface SessionInput {
  readonly personaId: string | null;
  readonly voiceId: string | null;
  readonly audio: AudioMode;
  readonly sampleRate: number;
  readonly phrases: readonly string[];
  /** The vocabulary of dictation turns (conversation turns use `phrases`); empty: free text. */
  readonly dictationPhrases: readonly string[];
  /** What its turns are for, unless a start_recording says otherwise. */
  readonly mode: TurnMode;
  /** Dictation: the persona's model tidies the transcript (punctuation, filler words). */
  readonly cleanup: boolean;
  /** A recording ends after this much silence (null: only stop_recording ends it). */
  readonly endOfSpeechMs: number | null;
  /** Turns start when speech is heard, without a key (ended by `endOfSpeechMs`). */
  readonly handsFree: boolean;
  /** Hands-free: speaking over a reply interrupts it (off: the reply's own sound is not heard). */
  readonly bargeInByVoice: boolean;
}

/** Read as the HTTP layer hands them over: camelCase (clients send snake_case). */
const FIELDS = [
  "personaId",
  "voiceId",
  "audio",
  "sampleRate",
  "phrases",
  "dictationPhrases",
  "mode",
  "cleanup",
  "endOfSpeechMs",
  "handsFree",
  "bargeInByVoice",
] as const;
/** A hands-free turn ends after this much silence unless the session says. */
export const HANDS_FREE_SILENCE_MS = 800;
const MAX_PHRASES = 500;

export function parseSessionInput(body: unknown): Result<SessionInput> {
  const object = asObject(body ?? {}, "session");
  if (!object.ok) return object;
  const known = onlyKnown(object.value, FIELDS, "session");
  if (!known.ok) return known;
  const f = known.value;
  const personaId = f.personaId ?? null;
  if (personaId !== null && !isId("persona", personaId)) {
    return fail("invalid_request", `"persona_id" must be a persona id`);
  }
  const voiceId = f.voiceId ?? null;
  if (voiceId !== null && !isId("voice", voiceId)) {
    return fail("invalid_request", `"voice_id" must be a voice id`);
  }
  const audio = f.audio ?? "socket";
  if (audio !== "socket" && audio !== "device") {
    return fail("invalid_request", `"audio" must be "socket" or "device"`);
  }
  const rate = f.sampleRate ?? 48_000;
  if (
    !Number.isInteger(rate) || (rate as number) < MIN_SAMPLE_RATE ||
    (rate as number) > MAX_SAMPLE_RATE
  ) {
    return fail(
      "invalid_request",
      `"sample_rate" must be an integer from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}`,
    );
  }
  const phrases = phraseList(f.phrases, "phrases");
  if (!phrases.ok) return phrases;
  const dictationPhrases = phraseList(f.dictationPhrases, "dictation_phrases");
  if (!dictationPhrases.ok) return dictationPhrases;
  const mode = f.mode ?? "conversation";
  if (!(TURN_MODES as readonly unknown[]).includes(mode)) {
    return fail("invalid_request", `"mode" must be "conversation" or "dictation"`);
  }
  const cleanup = f.cleanup ?? false;
  if (typeof cleanup !== "boolean") {
    return fail("invalid_request", `"cleanup" must be true or false`);
  }
  for (const flag of ["handsFree", "bargeInByVoice"] as const) {
    if (f[flag] !== undefined && typeof f[flag] !== "boolean") {
      return fail("invalid_request", `"${snake(flag)}" must be true or false`);
    }
  }
  const handsFree = f.handsFree === true;
  const silence = f.endOfSpeechMs ?? (handsFree ? HANDS_FREE_SILENCE_MS : null);
  if (
    silence !== null &&
    !(Number.isInteger(silence) && (silence as number) >= 200 && (silence as number) <= 10_000)
  ) {
    return fail("invalid_request", `"end_of_speech_ms" must be an integer from 200 to 10000`);
  }
  return ok({
    personaId,
    voiceId,
    audio,
    sampleRate: rate as number,
    phrases: phrases.value,
    dictationPhrases: dictationPhrases.value,
    mode: mode as TurnMode,
    cleanup,
    endOfSpeechMs: silence as number | null,
    handsFree,
    bargeInByVoice: f.bargeInByVoice === true,
  });
}

function phraseList(value: unknown, name: string): Result<string[]> {
  const list = value ?? [];
  if (
    !Array.isArray(list) || list.length > MAX_PHRASES ||
    !list.every((p) => typeof p === "string" && p.trim() !== "" && p.length <= 200)
  ) {
    return fail(
      "invalid_request",
      `"${name}" must be a list of up to ${MAX_PHRASES} non-empty strings of at most 200 characters`,
    );
  }
  return ok(list as string[]);
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
