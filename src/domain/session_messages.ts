/**
 * @module
 * The WebSocket session protocol. Clients send JSON commands and, while recording, binary frames
 * of mono float32 little-endian PCM at their declared rate; the server sends JSON events and, while
 * playing, binary frames of the reply at the same rate.
 */
import { asObject, onlyKnown } from "./fields.ts";
import { isId } from "./ids.ts";
import { fail, ok, type Result } from "./result.ts";
import type { SessionState } from "./session_state.ts";

export type AudioMode = "socket" | "device";

/** What a turn is for: a spoken reply, or the transcript itself (dictation into any app). */
export type TurnMode = "conversation" | "dictation";
export const TURN_MODES: readonly TurnMode[] = ["conversation", "dictation"];

export type ClientMessage =
  | { readonly type: "hello"; readonly sample_rate?: number; readonly audio?: AudioMode }
  /** `mode` overrides the session's for this turn (one device session serves both hotkeys). */
  | { readonly type: "start_recording"; readonly mode?: TurnMode }
  | { readonly type: "stop_recording" }
  | { readonly type: "cancel" }
  | { readonly type: "set_persona"; readonly persona_id: string }
  | { readonly type: "set_voice"; readonly voice_id: string | null };

export interface TurnTimings {
  /** From the end of recording to the final transcript. */
  readonly transcriptMs: number | null;
  readonly firstTokenMs: number | null;
  readonly firstSentenceMs: number | null;
  readonly firstAudioMs: number | null;
  /** From the end of recording to the first sample of the reply reaching the listener. */
  readonly firstPlayedMs: number | null;
  /** Turns ended by a pause (hands-free): from the last voiced frame to the final transcript. */
  readonly speechEndMs?: number | null;
}

export type ServerMessage =
  | {
    readonly type: "hello";
    readonly session_id: string;
    readonly state: SessionState;
    readonly sample_rate: number;
    readonly audio: AudioMode;
  }
  | { readonly type: "state"; readonly state: SessionState }
  /** A turn began; the events of its transcript, reply and failure follow. */
  | { readonly type: "recording_started"; readonly turn: number; readonly mode: TurnMode }
  /** A dictation turn's result: `text` (cleaned up when asked) and `raw`, the transcript. */
  | {
    readonly type: "dictation";
    readonly turn: number;
    readonly text: string;
    readonly raw: string;
  }
  /** The turn's recording held no words: nothing is sent to the model. */
  | { readonly type: "no_speech" }
  | { readonly type: "transcription"; readonly text: string; readonly is_final: boolean }
  | { readonly type: "llm_response"; readonly text: string }
  | { readonly type: "playback_started" }
  | { readonly type: "playback_complete" }
  | { readonly type: "turn_metrics"; readonly timings: TurnTimings }
  | {
    readonly type: "training_progress";
    readonly job_id: string;
    readonly voice_id: string;
    readonly stage: string;
    readonly percent: number;
    readonly message: string;
  }
  | {
    readonly type: "training_finished";
    readonly job_id: string;
    readonly voice_id: string;
    readonly status: string;
    readonly message: string;
  }
  /** A refused command or bad frame (no `turn`), or the failure that ended turn `turn`. */
  | {
    readonly type: "error";
    readonly code: string;
    readonly message: string;
    readonly turn?: number;
  }
  /** On /events, a turn's failure: SSE's own `error` event means a broken connection. */
  | {
    readonly type: "session_error";
    readonly code: string;
    readonly message: string;
    readonly turn: number;
  };

export const MIN_SAMPLE_RATE = 8_000;
export const MAX_SAMPLE_RATE = 192_000;

const COMMANDS = [
  "hello",
  "start_recording",
  "stop_recording",
  "cancel",
  "set_persona",
  "set_voice",
] as const;

export function parseClientMessage(value: unknown): Result<ClientMessage> {
  const object = asObject(value, "a message");
  if (!object.ok) return object;
  const fields = object.value;
  const type = fields.type;
  if (typeof type !== "string" || !(COMMANDS as readonly string[]).includes(type)) {
    return fail(
      "invalid_request",
      `unknown message type ${JSON.stringify(type)} (known: ${COMMANDS.join(", ")})`,
    );
  }
  switch (type) {
    case "hello": {
      const known = onlyKnown(fields, ["type", "sample_rate", "audio"], "hello");
      if (!known.ok) return known;
      const rate = fields.sample_rate;
      if (
        rate !== undefined &&
        !(Number.isInteger(rate) && (rate as number) >= MIN_SAMPLE_RATE &&
          (rate as number) <= MAX_SAMPLE_RATE)
      ) {
        return fail(
          "invalid_request",
          `"sample_rate" must be an integer from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}`,
        );
      }
      const audio = fields.audio;
      if (audio !== undefined && audio !== "socket" && audio !== "device") {
        return fail("invalid_request", `"audio" must be "socket" or "device"`);
      }
      return ok({
        type,
        sample_rate: rate as number | undefined,
        audio: audio as AudioMode | undefined,
      });
    }
    case "start_recording": {
      const known = onlyKnown(fields, ["type", "mode"], "start_recording");
      if (!known.ok) return known;
      const mode = fields.mode;
      if (mode !== undefined && !(TURN_MODES as readonly unknown[]).includes(mode)) {
        return fail("invalid_request", `"mode" must be "conversation" or "dictation"`);
      }
      return ok({ type, ...(mode === undefined ? {} : { mode: mode as TurnMode }) });
    }
    case "set_persona": {
      const known = onlyKnown(fields, ["type", "persona_id"], "set_persona");
      if (!known.ok) return known;
      if (!isId("persona", fields.persona_id)) {
        return fail("invalid_request", `"persona_id" must be a persona id`);
      }
      return ok({ type, persona_id: fields.persona_id });
    }
    case "set_voice": {
      const known = onlyKnown(fields, ["type", "voice_id"], "set_voice");
      if (!known.ok) return known;
      if (!("voice_id" in fields)) {
        return fail(
          "invalid_request",
          `"voice_id" is required (a voice id, or null for the default)`,
        );
      }
      const voice = fields.voice_id;
      if (voice !== null && !isId("voice", voice)) {
        return fail("invalid_request", `"voice_id" must be a voice id or null`);
      }
      return ok({ type, voice_id: voice });
    }
    default: {
      const known = onlyKnown(fields, ["type"], type);
      if (!known.ok) return known;
      return ok({ type } as ClientMessage);
    }
  }
}
