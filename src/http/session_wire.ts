/**
 * @module
 * Session events as wire messages (WebSocket and server-sent events).
 */
import type { DomainEvent, SessionEvent, VoiceEvent } from "../domain/events.ts";
import type { ServerMessage } from "../domain/session_messages.ts";

export function toWire(event: SessionEvent): ServerMessage {
  switch (event.type) {
    case "state_changed":
      return { type: "state", state: event.to };
    case "recording_started":
      return { type: "recording_started", turn: event.turn, mode: event.mode };
    case "dictation":
      return { type: "dictation", turn: event.turn, text: event.text, raw: event.raw };
    case "no_speech":
    case "playback_started":
    case "playback_complete":
      return { type: event.type };
    case "transcription":
      return { type: "transcription", text: event.text, is_final: event.isFinal };
    case "llm_response":
      return { type: "llm_response", text: event.text };
    case "turn_metrics":
      return { type: "turn_metrics", timings: event.timings };
    case "error":
      return { type: "error", code: event.code, message: event.message, turn: event.turn };
    default: {
      const unreachable: never = event;
      throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
    }
  }
}

const SESSION_EVENTS = new Set([
  "state_changed",
  "recording_started",
  "transcription",
  "no_speech",
  "llm_response",
  "playback_started",
  "playback_complete",
  "turn_metrics",
  "dictation",
  "error",
]);

export function isSessionEvent(event: { type: string }): event is SessionEvent {
  return SESSION_EVENTS.has(event.type);
}

type TrainingEvent = Extract<VoiceEvent, { type: "training_progress" | "training_finished" }>;

export function isTrainingEvent(event: DomainEvent): event is TrainingEvent {
  return event.type === "training_progress" || event.type === "training_finished";
}

/** Training progress for every client: a dashboard shows it whatever session it is in. */
export function trainingWire(event: TrainingEvent): ServerMessage {
  if (event.type === "training_progress") {
    return {
      type: "training_progress",
      job_id: event.jobId,
      voice_id: event.voiceId,
      stage: event.stage,
      percent: event.percent,
      message: event.message,
    };
  }
  return {
    type: "training_finished",
    job_id: event.job.id,
    voice_id: event.job.voiceId,
    status: event.job.status,
    message: event.job.message,
  };
}
