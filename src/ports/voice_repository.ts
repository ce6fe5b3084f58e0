/**
 * @module
 * Storage of voices and sample metadata. Writes are atomic; a duplicate name throws a
 * `conflict` {@linkcode NobodyError}.
 */
import type { SampleTotals, Voice, VoiceInput, VoiceSample, VoiceStatus } from "../domain/voice.ts";

export interface VoiceRepository {
  listVoices(): Voice[];
  getVoice(id: string): Voice | null;
  insertVoice(voice: Voice): void;
  setVoiceStatus(id: string, status: VoiceStatus, at: number): boolean;
  /** Renames or redescribes a voice; false if absent, `conflict` when the name is taken. */
  updateVoice(id: string, input: VoiceInput, at: number): boolean;
  /** Records the digest of a sample stored before digests were kept. */
  setSampleDigest(sampleId: string, sha256: string): void;
  /** Deletes the voice and, in the same transaction, its samples; returns false if absent. */
  deleteVoice(id: string): boolean;
  listSamples(voiceId: string): VoiceSample[];
  getSample(voiceId: string, sampleId: string): VoiceSample | null;
  insertSample(sample: VoiceSample): void;
  deleteSample(voiceId: string, sampleId: string): boolean;
  sampleTotals(): Map<string, SampleTotals>;
}
