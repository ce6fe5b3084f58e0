/**
 * @module
 * The service's JSON as the dashboard reads it (see the REST API in README.md): snake_case keys,
 * the public API's one convention.
 */
import type {
  ClientMessage as DomainClientMessage,
  ServerMessage as DomainServerMessage,
  TurnTimings as DomainTurnTimings,
} from "../../src/domain/session_messages.ts";
import type { SessionState } from "../../src/domain/session_state.ts";
import type { Wire } from "../../src/domain/wire.ts";

export type VoiceStatus = "draft" | "training" | "ready" | "failed";

export interface Voice {
  id: string;
  name: string;
  description: string;
  status: VoiceStatus;
  sample_count: number;
  total_sample_ms: number;
  tier: "insufficient" | "quick" | "standard" | "professional";
}

export interface VoiceReport {
  analyzed_count: number;
  total_ms: number;
  loudness_spread_db: number | null;
  lowest_snr_db: number | null;
  warnings: string[];
}

export interface SampleQuality {
  duration_ms: number;
  loudness_dbfs: number;
  peak_dbfs: number;
  clipped_percent: number;
  noise_floor_dbfs: number;
  snr_db: number;
  speech_percent: number;
  warnings: string[];
}

export interface Sample {
  id: string;
  voice_id: string;
  file_name: string;
  format: string;
  sample_rate: number;
  channels: number;
  duration_ms: number;
  quality: SampleQuality | null;
  analysis_error: string | null;
  transcript: string | null;
}

export interface LlmSettings {
  provider: string;
  model: string;
  base_url?: string | null;
  temperature?: number | null;
  think?: boolean | null;
}

export interface Persona {
  id: string;
  name: string;
  system_prompt: string;
  llm: LlmSettings;
  voice_id: string | null;
}

export interface TrainingJob {
  id: string;
  voice_id: string;
  status: string;
  stage: string;
  percent: number;
  message: string;
}

/** The session protocol's types come from the server's domain, spelled as the wire spells them. */
export type TurnTimings = Wire<DomainTurnTimings>;
export type { SessionState };
/** Server messages on the session WebSocket (and SSE). */
export type ServerMessage = Wire<DomainServerMessage>;
/** Commands the dashboard sends on the session WebSocket. */
export type ClientMessage = Wire<DomainClientMessage>;
