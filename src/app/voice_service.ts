/**
 * @module
 * Use cases for voices and their samples: the database rows and the files under the data dir
 * always change together, and a start-up sweep removes whatever a crash left half done.
 */
import { NobodyError, notFound } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import { unwrap } from "../domain/result.ts";
import {
  displayFileName,
  summarize,
  totalsOf,
  type Voice,
  type VoiceInput,
  type VoiceSample,
  type VoiceSummary,
} from "../domain/voice.ts";
import { inspectAudio } from "../audio/inspect.ts";
import { type FileStore, TEMP_SUFFIX } from "../ports/file_store.ts";
import type { Clock, IdSource } from "../ports/runtime.ts";
import type { VoiceRepository } from "../ports/voice_repository.ts";
import type { EventBus } from "./event_bus.ts";

export interface VoiceServiceDeps {
  readonly voices: VoiceRepository;
  readonly files: FileStore;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly events: EventBus<DomainEvent>;
}

export interface SampleUpload {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export const voiceDir = (voiceId: string) => `voices/${voiceId}`;
const samplesDir = (voiceId: string) => `${voiceDir(voiceId)}/samples`;
export const sampleKey = (s: Pick<VoiceSample, "voiceId" | "id" | "format">) =>
  `${samplesDir(s.voiceId)}/${s.id}.${s.format}`;

export class VoiceService {
  readonly #deps: VoiceServiceDeps;

  constructor(deps: VoiceServiceDeps) {
    this.#deps = deps;
  }

  list(): VoiceSummary[] {
    const totals = this.#deps.voices.sampleTotals();
    return this.#deps.voices.listVoices().map((voice) =>
      summarize(voice, totals.get(voice.id) ?? { count: 0, totalMs: 0 })
    );
  }

  get(id: string): VoiceSummary {
    const voice = this.#voice(id);
    return summarize(voice, totalsOf(this.#deps.voices.listSamples(id)));
  }

  create(input: VoiceInput): VoiceSummary {
    const now = this.#deps.clock.now();
    const voice: Voice = {
      id: this.#deps.ids.next("voice"),
      name: input.name,
      description: input.description,
      status: "draft",
      createdAt: now,
      updatedAt: now,
    };
    this.#deps.voices.insertVoice(voice);
    const summary = summarize(voice, { count: 0, totalMs: 0 });
    this.#deps.events.publish({ type: "voice_created", voice: summary });
    return summary;
  }

  /** Rows go first, in one transaction; files follow. A crash in between leaves files the sweep removes. */
  async delete(id: string): Promise<void> {
    if (!this.#deps.voices.deleteVoice(id)) throw notFound("voice", id);
    await this.#deps.files.removeTree(voiceDir(id));
    this.#deps.events.publish({ type: "voice_deleted", voiceId: id });
  }

  listSamples(voiceId: string): VoiceSample[] {
    this.#voice(voiceId);
    return this.#deps.voices.listSamples(voiceId);
  }

  /** The file lands first (atomically); the row makes it visible. A failed insert removes the file. */
  async addSample(
    voiceId: string,
    upload: SampleUpload,
    options: { signal?: AbortSignal } = {},
  ): Promise<VoiceSample> {
    this.#voice(voiceId);
    const info = unwrap(inspectAudio(upload.bytes));
    const sample: VoiceSample = {
      id: this.#deps.ids.next("sample"),
      voiceId,
      fileName: displayFileName(upload.fileName),
      format: info.format,
      sampleRate: info.sampleRate,
      channels: info.channels,
      durationMs: info.durationMs,
      sizeBytes: upload.bytes.length,
      createdAt: this.#deps.clock.now(),
    };
    const key = sampleKey(sample);
    await this.#deps.files.write(key, upload.bytes, options);
    try {
      this.#deps.voices.insertSample(sample);
    } catch (error) {
      await this.#deps.files.remove(key);
      throw error;
    }
    this.#deps.events.publish({ type: "sample_added", voiceId, sample });
    return sample;
  }

  async sampleAudio(
    voiceId: string,
    sampleId: string,
  ): Promise<{ sample: VoiceSample; bytes: Uint8Array<ArrayBuffer> }> {
    const sample = this.#sample(voiceId, sampleId);
    const bytes = await this.#deps.files.read(sampleKey(sample));
    if (bytes === null) {
      throw new NobodyError(
        "internal",
        `the audio file of sample ${sampleId} is missing from the data dir`,
      );
    }
    return { sample, bytes };
  }

  async deleteSample(voiceId: string, sampleId: string): Promise<void> {
    const sample = this.#sample(voiceId, sampleId);
    if (!this.#deps.voices.deleteSample(voiceId, sampleId)) throw notFound("sample", sampleId);
    await this.#deps.files.remove(sampleKey(sample));
    this.#deps.events.publish({ type: "sample_deleted", voiceId, sampleId });
  }

  /**
   * Removes files that no row refers to: temp files of interrupted writes, samples whose insert
   * never committed, and folders of deleted voices. Returns the keys it removed.
   */
  async sweep(): Promise<string[]> {
    const removed: string[] = [];
    const drop = async (key: string, tree = false) => {
      await (tree ? this.#deps.files.removeTree(key) : this.#deps.files.remove(key));
      removed.push(key);
    };
    for (const name of await this.#deps.files.list("voices")) {
      if (name.endsWith(TEMP_SUFFIX)) {
        await drop(`voices/${name}`);
        continue;
      }
      if (!/^voice_[a-z2-7]{20}$/.test(name) || !this.#deps.voices.getVoice(name)) {
        if (/^[a-z0-9_.-]+$/.test(name)) await drop(`voices/${name}`, true);
        continue;
      }
      const known = new Set(this.#deps.voices.listSamples(name).map((s) => `${s.id}.${s.format}`));
      for (const file of await this.#deps.files.list(samplesDir(name))) {
        if (!known.has(file) && /^[a-z0-9_.-]+$/.test(file)) {
          await drop(`${samplesDir(name)}/${file}`);
        }
      }
      for (const file of await this.#deps.files.list(voiceDir(name))) {
        if (file.endsWith(TEMP_SUFFIX)) await drop(`${voiceDir(name)}/${file}`);
      }
    }
    return removed;
  }

  #voice(id: string): Voice {
    const voice = this.#deps.voices.getVoice(id);
    if (!voice) throw notFound("voice", id);
    return voice;
  }

  #sample(voiceId: string, sampleId: string): VoiceSample {
    this.#voice(voiceId);
    const sample = this.#deps.voices.getSample(voiceId, sampleId);
    if (!sample) throw notFound("sample", sampleId);
    return sample;
  }
}
