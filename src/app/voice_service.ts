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
  type VoiceReport,
  voiceReport,
  type VoiceSample,
  type VoiceSummary,
} from "../domain/voice.ts";
import { type AudioInfo, inspectAudio } from "../audio/inspect.ts";
import { decodeWavMono } from "../audio/wav.ts";
import { type FileStore, TEMP_SUFFIX } from "../ports/file_store.ts";
import type { Logger } from "../ports/logger.ts";
import type { Clock, IdSource } from "../ports/runtime.ts";
import type { SampleAnalysis, SampleAnalyzer } from "../ports/sample_analyzer.ts";
import type { SttEngine } from "../ports/stt_engine.ts";
import type { VoiceRepository } from "../ports/voice_repository.ts";
import type { EventBus } from "./event_bus.ts";
import { transcribe } from "./transcribe.ts";

export interface VoiceServiceDeps {
  readonly voices: VoiceRepository;
  readonly files: FileStore;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly events: EventBus<DomainEvent>;
  readonly analyzer: SampleAnalyzer;
  readonly stt: SttEngine;
  readonly logger: Logger;
}

export interface SampleUpload {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export const voiceDir = (voiceId: string) => `voices/${voiceId}`;
const samplesDir = (voiceId: string) => `${voiceDir(voiceId)}/samples`;
export const sampleKey = (s: Pick<VoiceSample, "voiceId" | "id" | "format">) =>
  `${samplesDir(s.voiceId)}/${s.id}.${s.format}`;
/** The copy the engine trains on: 16-bit mono WAV at the engine's rate. */
export const normalizedKey = (s: Pick<VoiceSample, "voiceId" | "id">) =>
  `${samplesDir(s.voiceId)}/${s.id}.norm.wav`;
/** The file training reads: the normalized copy when there is one. */
export const trainingKey = (s: VoiceSample) =>
  s.normalizedRate === null ? sampleKey(s) : normalizedKey(s);

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

  /** The voice with the quality report of its samples taken together. */
  detail(id: string): VoiceSummary & { report: VoiceReport } {
    const voice = this.#voice(id);
    const samples = this.#deps.voices.listSamples(id);
    return { ...summarize(voice, totalsOf(samples)), report: voiceReport(samples) };
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

  /**
   * The original lands first (atomically), the trainer decodes it and writes the normalized copy,
   * and the row makes both visible. Anything that fails on the way removes the files.
   */
  async addSample(
    voiceId: string,
    upload: SampleUpload,
    options: { signal?: AbortSignal } = {},
  ): Promise<VoiceSample> {
    this.#voice(voiceId);
    const info = unwrap(inspectAudio(upload.bytes));
    const id = this.#deps.ids.next("sample");
    const keys = [sampleKey({ voiceId, id, format: info.format }), normalizedKey({ voiceId, id })];
    let sample: VoiceSample;
    try {
      await this.#deps.files.write(keys[0], upload.bytes, options);
      const analysis = await this.#analyze(info, keys, options);
      const header = analysis === null ? info.header! : null;
      sample = {
        id,
        voiceId,
        fileName: displayFileName(upload.fileName),
        format: info.format,
        sampleRate: analysis?.sampleRate ?? header!.sampleRate,
        channels: analysis?.channels ?? header!.channels,
        durationMs: analysis?.quality.durationMs ?? header!.durationMs,
        sizeBytes: upload.bytes.length,
        createdAt: this.#deps.clock.now(),
        normalizedRate: analysis?.normalizedRate ?? null,
        quality: analysis?.quality ?? null,
        transcript: analysis ? await this.#transcript(keys[1], options) : null,
      };
      this.#deps.voices.insertSample(sample);
    } catch (error) {
      for (const key of keys) await this.#deps.files.remove(key);
      throw error;
    }
    // After the commit: a failing listener must not remove the files of a stored sample.
    this.#deps.events.publish({ type: "sample_added", voiceId, sample });
    return sample;
  }

  /**
   * Null when the trainer is not running and the core can still read the file's facts from its
   * header (WAV, FLAC): such a sample is kept, unanalyzed, and trains from the original.
   */
  async #analyze(
    info: AudioInfo,
    [original, normalized]: string[],
    options: { signal?: AbortSignal },
  ): Promise<SampleAnalysis | null> {
    try {
      return await this.#deps.analyzer.analyze({
        inputPath: this.#deps.files.path(original),
        format: info.format,
        outputPath: this.#deps.files.path(normalized),
      }, options);
    } catch (error) {
      if (!(error instanceof NobodyError) || error.code !== "unavailable") throw error;
      if (info.header === null) {
        throw new NobodyError(
          "unavailable",
          `${info.format.toUpperCase()} samples are decoded by the voice trainer, which is not running (${error.message}); try again, or upload WAV or FLAC`,
        );
      }
      this.#deps.logger.warn("sample stored without analysis", { reason: error.message });
      return null;
    }
  }

  /** A transcript helps a person check the sample; failing to make one never fails the upload. */
  async #transcript(key: string, options: { signal?: AbortSignal }): Promise<string | null> {
    const bytes = await this.#deps.files.read(key);
    const audio = bytes === null ? null : decodeWavMono(bytes);
    if (!audio?.ok) return null;
    try {
      return await transcribe(this.#deps.stt, audio.value, options);
    } catch (error) {
      options.signal?.throwIfAborted();
      this.#deps.logger.warn("sample transcript failed", { reason: String(error) });
      return null;
    }
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
    await this.#deps.files.remove(normalizedKey(sample));
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
      const known = new Set(
        this.#deps.voices.listSamples(name).flatMap((
          s,
        ) => [`${s.id}.${s.format}`, `${s.id}.norm.wav`]),
      );
      for (const file of await this.#deps.files.list(samplesDir(name))) {
        // The trainer's temp files (mkstemp names) have capitals; a crash can leave them too.
        if (!known.has(file) && (/^[a-z0-9_.-]+$/.test(file) || file.endsWith(TEMP_SUFFIX))) {
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
