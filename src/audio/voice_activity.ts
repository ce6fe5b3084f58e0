/**
 * @module
 * Where speech starts and ends in a stream of microphone frames, for hands-free sessions: a
 * frame is voiced when its level stands well above the room's noise floor (tracked as it goes),
 * speech starts after a few voiced frames in a row and ends after `silenceMs` without one. The
 * pause inside a sentence is shorter than the silence that ends it, so words are not cut.
 *
 * @example
 * ```ts
 * import { VoiceActivity } from "./voice_activity.ts";
 * const vad = new VoiceActivity({ sampleRate: 16_000, silenceMs: 600 });
 * const quiet = new Float32Array(320).fill(0.001);
 * const loud = Float32Array.from({ length: 320 }, (_, i) => 0.3 * Math.sin(i / 3));
 * for (let i = 0; i < 25; i++) vad.push(quiet);
 * const events = [];
 * for (let i = 0; i < 10; i++) events.push(vad.push(loud));
 * for (let i = 0; i < 40; i++) events.push(vad.push(quiet));
 * console.assert(JSON.stringify(events.filter(Boolean)) === '["speech_start","speech_end"]');
 * ```
 */

export type VoiceEvent = "speech_start" | "speech_end";

/** A frame this far above the noise floor is voiced (a voice at a meter is 20-40 dB above). */
const ABOVE_FLOOR_DB = 12;
/** Nothing quieter than this is speech, however silent the room (digital silence included). */
const MIN_SPEECH_DBFS = -50;
/** Voiced time in a row that starts speech: a click or a cough of 20 ms does not. */
const ONSET_MS = 60;
/** How fast the floor rises toward louder noise (it falls at once to a quieter frame). */
const FLOOR_RISE_PER_S_DB = 3;

export class VoiceActivity {
  readonly #sampleRate: number;
  readonly #silenceMs: number;
  #floorDb = -70;
  #speaking = false;
  #voicedMs = 0;
  #silentMs = 0;
  /** Milliseconds of audio pushed so far, and when the last voiced frame ended. */
  #at = 0;
  #lastVoiceAt = 0;

  constructor(options: { sampleRate: number; silenceMs: number }) {
    this.#sampleRate = options.sampleRate;
    this.#silenceMs = options.silenceMs;
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  /** Milliseconds into the stream at which the last voiced frame ended. */
  get lastVoiceAtMs(): number {
    return this.#lastVoiceAt;
  }

  /** Feeds one frame; returns the event it completes, if any. */
  push(frame: Float32Array): VoiceEvent | null {
    const ms = frame.length * 1000 / this.#sampleRate;
    this.#at += ms;
    const db = levelDb(frame);
    const voiced = db >= MIN_SPEECH_DBFS && db >= this.#floorDb + ABOVE_FLOOR_DB;
    if (!voiced) {
      this.#floorDb = db < this.#floorDb
        ? db
        : Math.min(db, this.#floorDb + FLOOR_RISE_PER_S_DB * ms / 1000);
    }
    if (voiced) {
      this.#lastVoiceAt = this.#at;
      this.#silentMs = 0;
      this.#voicedMs += ms;
      if (!this.#speaking && this.#voicedMs >= ONSET_MS) {
        this.#speaking = true;
        return "speech_start";
      }
      return null;
    }
    this.#voicedMs = 0;
    if (!this.#speaking) return null;
    this.#silentMs += ms;
    if (this.#silentMs < this.#silenceMs) return null;
    this.#speaking = false;
    this.#silentMs = 0;
    return "speech_end";
  }

  /** Starts afresh (a new turn), keeping what it learned of the room's noise. */
  reset(): void {
    this.#speaking = false;
    this.#voicedMs = 0;
    this.#silentMs = 0;
  }
}

function levelDb(frame: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += frame[i] * frame[i];
  const rms = Math.sqrt(sum / Math.max(1, frame.length));
  return rms > 0 ? 20 * Math.log10(rms) : -120;
}
