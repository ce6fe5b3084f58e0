/**
 * @module
 * What a session's microphone says without a key: a pause ends the recording, and in a
 * hands-free session speech starts a turn, but not over a reply (its own sound) unless barge-in
 * by voice is on, and never within the reply's echo.
 */
import { VoiceActivity } from "../audio/voice_activity.ts";
import type { SessionState } from "../domain/session_state.ts";

/** After a reply, its echo in the room is not taken for the user speaking. */
export const ECHO_GUARD_MS = 300;

export type Trigger = "start_recording" | "stop_recording" | null;

export class VoiceTrigger {
  readonly #vad: VoiceActivity;
  readonly #silenceMs: number;
  readonly #handsFree: boolean;
  readonly #bargeIn: boolean;
  #deafUntil = 0;

  constructor(
    options: { sampleRate: number; silenceMs: number; handsFree: boolean; bargeIn: boolean },
  ) {
    this.#vad = new VoiceActivity({ sampleRate: options.sampleRate, silenceMs: options.silenceMs });
    this.#silenceMs = options.silenceMs;
    this.#handsFree = options.handsFree;
    this.#bargeIn = options.bargeIn;
  }

  /** How long ago speech ended when a pause ended the recording. */
  get silenceMs(): number {
    return this.#silenceMs;
  }

  /** Feeds one frame in `state`; returns the command the voice gives, if any. */
  hear(frame: Float32Array, state: SessionState, nowMs: number): Trigger {
    const heard = this.#vad.push(frame);
    if (heard === "speech_end" && state === "recording") return "stop_recording";
    if (heard !== "speech_start" || !this.#handsFree || state === "recording") return null;
    const replying = state !== "idle";
    if (nowMs < this.#deafUntil || (replying && !this.#bargeIn)) {
      this.#vad.reset(); // the reply's own sound, or its echo
      return null;
    }
    return "start_recording";
  }

  /** A new turn: what was heard before it is not its speech. */
  reset(): void {
    this.#vad.reset();
  }

  /** The reply finished playing at `nowMs`: its echo follows for a moment. */
  replyHeard(nowMs: number): void {
    this.#deafUntil = nowMs + ECHO_GUARD_MS;
  }
}
