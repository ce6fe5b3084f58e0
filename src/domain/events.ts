/**
 * @module
 * Domain events as discriminated unions. The event bus carries them; the WebSocket and SSE adapters
 * translate them to wire messages.
 */
import type { Persona } from "./persona.ts";
import type { SessionState } from "./session_state.ts";
import type { ErrorCode } from "./errors.ts";
import type { VoiceSample, VoiceSummary } from "./voice.ts";
import type { TurnMode, TurnTimings } from "./session_messages.ts";
import type { TrainingJob } from "./training_job.ts";

export type SessionEvent =
  | {
    readonly type: "state_changed";
    readonly sessionId: string;
    readonly from: SessionState;
    readonly to: SessionState;
  }
  | {
    readonly type: "recording_started";
    readonly sessionId: string;
    readonly turn: number;
    readonly mode: TurnMode;
  }
  | {
    readonly type: "dictation";
    readonly sessionId: string;
    readonly turn: number;
    readonly text: string;
    readonly raw: string;
  }
  | {
    readonly type: "transcription";
    readonly sessionId: string;
    readonly text: string;
    readonly isFinal: boolean;
  }
  | { readonly type: "llm_response"; readonly sessionId: string; readonly text: string }
  | { readonly type: "no_speech"; readonly sessionId: string }
  | { readonly type: "playback_started"; readonly sessionId: string }
  | { readonly type: "playback_complete"; readonly sessionId: string }
  | { readonly type: "turn_metrics"; readonly sessionId: string; readonly timings: TurnTimings }
  | {
    readonly type: "error";
    readonly sessionId: string;
    readonly code: ErrorCode;
    readonly message: string;
    /** The turn that failed. */
    readonly turn: number;
  };

export type VoiceEvent =
  | { readonly type: "voice_created"; readonly voice: VoiceSummary }
  | { readonly type: "voice_updated"; readonly voice: VoiceSummary }
  | { readonly type: "voice_deleted"; readonly voiceId: string }
  | { readonly type: "sample_added"; readonly voiceId: string; readonly sample: VoiceSample }
  | { readonly type: "sample_deleted"; readonly voiceId: string; readonly sampleId: string }
  | {
    readonly type: "training_progress";
    readonly jobId: string;
    readonly voiceId: string;
    readonly stage: string;
    readonly percent: number;
    readonly message: string;
  }
  | { readonly type: "training_finished"; readonly job: TrainingJob };

export type PersonaEvent =
  | { readonly type: "persona_created"; readonly persona: Persona }
  | { readonly type: "persona_updated"; readonly persona: Persona }
  | { readonly type: "persona_deleted"; readonly personaId: string }
  | { readonly type: "history_cleared"; readonly personaId: string };

export type DomainEvent = SessionEvent | VoiceEvent | PersonaEvent;
export type DomainEventType = DomainEvent["type"];
