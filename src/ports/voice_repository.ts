/**
 * @module
 * Storage of voices and sample metadata. Writes are atomic; a duplicate name throws a
 * `conflict` {@linkcode NobodyError}.
 */
import type { SampleTotals, Voice, VoiceSample, VoiceStatus } from "../domain/voice.ts";

export interface VoiceRepository {
  listVoices(): Voice[];
  getVoice(id: string): Voice | null;
  insertVoice(voice: Voice): void;
  setVoiceStatus(id: string, status: VoiceStatus, at: number): boolean;
  /** Deletes the voice and, in the same transaction, its samples; returns false if absent. */
  deleteVoice(id: string): boolean;
  listSamples(voiceId: string): VoiceSample[];
  getSample(voiceId: string, sampleId: string): VoiceSample | null;
  insertSample(sample: VoiceSample): void;
  deleteSample(voiceId: string, sampleId: string): boolean;
  sampleTotals(): Map<string, SampleTotals>;
}
