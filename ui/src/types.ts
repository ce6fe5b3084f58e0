/**
 * @module
 * The service's JSON as the dashboard reads it (see the REST API in README.md).
 */

export type VoiceStatus = "draft" | "training" | "ready" | "failed";

export interface Voice {
  id: string;
  name: string;
  description: string;
  status: VoiceStatus;
  sampleCount: number;
  totalSampleMs: number;
  tier: "insufficient" | "quick" | "standard" | "professional";
}

export interface VoiceReport {
  analyzedCount: number;
  totalMs: number;
  loudnessSpreadDb: number | null;
  lowestSnrDb: number | null;
  warnings: string[];
}

export interface SampleQuality {
  durationMs: number;
  loudnessDbfs: number;
  peakDbfs: number;
  clippedPercent: number;
  noiseFloorDbfs: number;
  snrDb: number;
  speechPercent: number;
  warnings: string[];
}

export interface Sample {
  id: string;
  voiceId: string;
  fileName: string;
  format: string;
  sampleRate: number;
  channels: number;
  durationMs: number;
  quality: SampleQuality | null;
  analysisError: string | null;
  transcript: string | null;
}

export interface LlmSettings {
  provider: string;
  model: string;
  baseUrl?: string | null;
  temperature?: number | null;
  think?: boolean | null;
}

export interface Persona {
  id: string;
  name: string;
  systemPrompt: string;
  llm: LlmSettings;
  voiceId: string | null;
}

export interface TrainingJob {
  id: string;
  voiceId: string;
  status: string;
  stage: string;
  percent: number;
  message: string;
}

export interface TurnTimings {
  transcriptMs: number | null;
  firstTokenMs: number | null;
  firstSentenceMs: number | null;
  firstAudioMs: number | null;
  firstPlayedMs: number | null;
}

export type SessionState = "idle" | "recording" | "processing" | "synthesizing" | "playing";

/** Server messages on the session WebSocket. */
export type ServerMessage =
  | { type: "hello"; session_id: string; state: SessionState; sample_rate: number }
  | { type: "state"; state: SessionState }
  | { type: "recording_started" }
  | { type: "transcription"; text: string; is_final: boolean }
  | { type: "llm_response"; text: string }
  | { type: "playback_started" }
  | { type: "playback_complete" }
  | { type: "turn_metrics"; timings: TurnTimings }
  | { type: "training_progress" }
  | { type: "training_finished" }
  | { type: "error"; code: string; message: string };
