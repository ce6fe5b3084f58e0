/**
 * @module
 * Use cases for voices and their samples: the database rows and the files under the data dir
 * always change together, and a start-up sweep removes whatever a crash left half done.
 */
import { BodyCutOff, NobodyError, notFound } from "../domain/errors.ts";
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
import {
  normalizedKey,
  QUARANTINE_DIR,
  sampleKey,
  samplesDir,
  voiceDir,
} from "../domain/voice_files.ts";
import { type FileStore, TEMP_SUFFIX } from "../ports/file_store.ts";
import type { Logger } from "../ports/logger.ts";
import type { Clock, IdSource } from "../ports/runtime.ts";
import type { SampleAnalysis, SampleAnalyzer } from "../ports/sample_analyzer.ts";
import type { SttEngine } from "../ports/stt_engine.ts";
import type { VoiceRepository } from "../ports/voice_repository.ts";
import type { EventBus } from "./event_bus.ts";

/** Trainer failures that leave a WAV or FLAC sample stored, unanalyzed, with the reason. */
const UNANALYZED: ReadonlySet<string> = new Set(["unavailable", "internal"]);
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
  /** The file, or a stream of it as it arrives: it goes to disk as it comes, never held whole. */
  readonly bytes: Uint8Array | AsyncIterable<Uint8Array>;
  /** Larger uploads are refused with `payload_too_large` while they stream. */
  readonly maxBytes?: number;
}

/** Enough of a file to recognize it and read a WAV or FLAC header. */
const HEAD_BYTES = 64 * 1024;
/** A transcript helps a person check what a sample says; its first minutes show that. */
const TRANSCRIPT_MAX_MS = 120_000;

/** Where an upload is written and analyzed before its row makes it a sample; wiped at start. */
const stagingDir = "tmp/uploads";

/** An upload written to the staging folder, not yet a sample. */
export interface StagedUpload {
  readonly id: string;
  readonly key: string;
  readonly sizeBytes: number;
}

export interface SweepResult {
  /** Temp files of interrupted writes. */
  readonly removed: readonly string[];
  /** Keys moved under the quarantine folder. */
  readonly quarantined: readonly string[];
}

/** Temp files: ours end in `.partial`; the workers' mkstemp names (with capitals) do too. */
const isTemp = (name: string) => name.endsWith(TEMP_SUFFIX);

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

  /** Renames or redescribes a voice (its samples and training stay). */
  update(id: string, input: VoiceInput): VoiceSummary {
    this.#voice(id);
    if (!this.#deps.voices.updateVoice(id, input, this.#deps.clock.now())) {
      throw notFound("voice", id);
    }
    const voice = this.get(id);
    this.#deps.events.publish({ type: "voice_updated", voice });
    return voice;
  }

  async delete(id: string): Promise<void> {
    this.#voice(id);
    await this.#deleteRows(
      () => this.#deps.voices.deleteVoice(id),
      () => this.#deps.files.removeTree(voiceDir(id)),
      notFound("voice", id),
    );
    this.#deps.events.publish({ type: "voice_deleted", voiceId: id });
  }

  /**
   * Rows go first, in one transaction; files follow, so a crash in between leaves only files that
   * the sweep finds. On a full disk SQLite has no room for the delete itself: the files go first
   * then, since freeing space is why the user deletes, and the rows follow.
   */
  async #deleteRows(
    rows: () => boolean,
    files: () => Promise<void>,
    gone: NobodyError,
  ): Promise<void> {
    let deleted: boolean;
    try {
      deleted = rows();
    } catch (error) {
      if (!(error instanceof NobodyError) || error.code !== "insufficient_storage") throw error;
      await files();
      deleted = rows();
    }
    if (!deleted) throw gone; // deleted by another request meanwhile
    await files();
  }

  listSamples(voiceId: string): VoiceSample[] {
    this.#voice(voiceId);
    return this.#deps.voices.listSamples(voiceId);
  }

  /**
   * The upload streams to a staging folder, where the trainer decodes it and writes the normalized
   * copy; both move into the voice's folder and the row makes them visible. Anything that fails on
   * the way, or a client that goes away (`signal`), removes the files and stores nothing.
   */
  async addSample(
    voiceId: string,
    upload: SampleUpload,
    options: { signal?: AbortSignal } = {},
  ): Promise<VoiceSample> {
    this.#voice(voiceId);
    const staged = await this.stage(upload.bytes, { maxBytes: upload.maxBytes, ...options });
    return await this.addStaged(voiceId, staged, upload.fileName, options);
  }

  /**
   * Writes an upload to the staging folder as it arrives. The HTTP layer stages the whole body
   * before the analysis starts, so the server keeps reading the connection and notices a client
   * that leaves.
   */
  async stage(
    content: Uint8Array | AsyncIterable<Uint8Array>,
    options: { maxBytes?: number; signal?: AbortSignal } = {},
  ): Promise<StagedUpload> {
    const id = this.#deps.ids.next("sample");
    const key = `${stagingDir}/${id}.upload`;
    try {
      const sizeBytes = await this.#deps.files.write(key, content, options);
      return { id, key, sizeBytes };
    } catch (error) {
      this.#logAbandoned(error, options);
      throw error;
    }
  }

  /** Removes a staged upload that will not become a sample. */
  discardStaged(staged: StagedUpload): Promise<void> {
    return this.#deps.files.remove(staged.key);
  }

  /** Analyzes a staged upload and stores it as a sample of the voice; the staged file is used up. */
  async addStaged(
    voiceId: string,
    staged: StagedUpload,
    fileName: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<VoiceSample> {
    const { id, sizeBytes } = staged;
    const work = [staged.key, `${stagingDir}/${id}.norm.wav`];
    const placed: string[] = [];
    let sample: VoiceSample;
    try {
      this.#voice(voiceId);
      const digest = await this.#deps.files.digest(staged.key);
      const twin = digest ? await this.#sampleWithDigest(voiceId, digest) : null;
      if (twin) {
        throw new NobodyError(
          "conflict",
          `"${
            displayFileName(fileName)
          }" is the same audio as sample "${twin.fileName}" of this voice; it was not added again`,
        );
      }
      const head = await this.#deps.files.readHead(staged.key, HEAD_BYTES);
      const info = unwrap(inspectAudio(head!, { totalBytes: sizeBytes }));
      const analysis = await this.#analyze(info, work, options);
      const header = analysis.ok ? null : info.header!;
      sample = {
        id,
        voiceId,
        fileName: displayFileName(fileName),
        format: info.format,
        sampleRate: analysis.ok ? analysis.value.sampleRate : header!.sampleRate,
        channels: analysis.ok ? analysis.value.channels : header!.channels,
        durationMs: analysis.ok ? analysis.value.quality.durationMs : header!.durationMs,
        sizeBytes,
        createdAt: this.#deps.clock.now(),
        normalizedRate: analysis.ok ? analysis.value.normalizedRate : null,
        quality: analysis.ok ? analysis.value.quality : null,
        analysisError: analysis.ok ? null : analysis.reason,
        transcript: analysis.ok
          ? await this.#transcript(work[1], analysis.value.normalizedRate, options)
          : null,
        contentSha256: digest,
      };
      options.signal?.throwIfAborted();
      placed.push(sampleKey(sample));
      await this.#deps.files.move(staged.key, placed[0]);
      if (analysis.ok) {
        placed.push(normalizedKey(sample));
        await this.#deps.files.move(work[1], placed[1]);
      }
      this.#deps.voices.insertSample(sample);
    } catch (error) {
      for (const key of [...work, ...placed]) await this.#deps.files.remove(key);
      this.#logAbandoned(error, options);
      throw error;
    }
    // After the commit: a failing listener must not remove the files of a stored sample.
    this.#deps.events.publish({ type: "sample_added", voiceId, sample });
    return sample;
  }

  /** The voice's sample with these bytes; samples stored before digests were kept get one now. */
  async #sampleWithDigest(voiceId: string, digest: string): Promise<VoiceSample | null> {
    for (const sample of this.#deps.voices.listSamples(voiceId)) {
      let known = sample.contentSha256 ?? null;
      if (known === null) {
        known = await this.#deps.files.digest(sampleKey(sample));
        if (known) this.#deps.voices.setSampleDigest(sample.id, known);
      }
      if (known === digest) return sample;
    }
    return null;
  }

  /**
   * A sample the trainer could not analyze because it is down or failed on it is kept with the
   * reason when the core can still read its facts from its header (WAV, FLAC); such a sample
   * trains from the original. A file the trainer finds corrupt is refused.
   */
  async #analyze(
    info: AudioInfo,
    [original, normalized]: string[],
    options: { signal?: AbortSignal },
  ): Promise<{ ok: true; value: SampleAnalysis } | { ok: false; reason: string }> {
    try {
      return {
        ok: true,
        value: await this.#deps.analyzer.analyze({
          inputPath: this.#deps.files.path(original),
          format: info.format,
          outputPath: this.#deps.files.path(normalized),
        }, options),
      };
    } catch (error) {
      options.signal?.throwIfAborted();
      if (!(error instanceof NobodyError) || !UNANALYZED.has(error.code)) throw error;
      if (info.header === null) {
        throw new NobodyError(
          "unavailable",
          `${info.format.toUpperCase()} samples are decoded by the voice trainer, which ${
            error.code === "unavailable" ? "is not running" : "failed on this one"
          } (${error.message}); try again, or upload WAV or FLAC`,
        );
      }
      this.#deps.logger.warn("sample stored without analysis", { reason: error.message });
      return { ok: false, reason: `the voice trainer could not analyze it: ${error.message}` };
    }
  }

  #logAbandoned(error: unknown, options: { signal?: AbortSignal }): void {
    if (options.signal?.aborted || error instanceof BodyCutOff) {
      this.#deps.logger.info("upload abandoned by its client; nothing stored");
    }
  }

  /** A transcript helps a person check the sample; failing to make one never fails the upload. */
  async #transcript(
    key: string,
    rate: number,
    options: { signal?: AbortSignal },
  ): Promise<string | null> {
    // The normalized copy is 16-bit mono: its head holds the first minutes.
    const bytes = await this.#deps.files.readHead(key, 44 + TRANSCRIPT_MAX_MS / 1000 * rate * 2);
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
    await this.#deleteRows(
      () => this.#deps.voices.deleteSample(voiceId, sampleId),
      async () => {
        await this.#deps.files.remove(sampleKey(sample));
        await this.#deps.files.remove(normalizedKey(sample));
      },
      notFound("sample", sampleId),
    );
    this.#deps.events.publish({ type: "sample_deleted", voiceId, sampleId });
  }

  /**
   * Tidies what a crash left: temp files of interrupted writes are removed; any other file or
   * folder that no row refers to (a voice whose database was lost or replaced, a sample whose
   * insert never committed) is moved to `quarantine/<time>/`, never deleted: the user's audio is
   * worth more than the space. `nobody doctor` lists the quarantine.
   */
  async sweep(): Promise<SweepResult> {
    const removed: string[] = [];
    const quarantined: string[] = [];
    const folder = `${QUARANTINE_DIR}/${
      new Date(this.#deps.clock.now()).toISOString().replace(/[:.]/g, "-").toLowerCase()
    }`;
    const unknown = async (key: string) => {
      if (isTemp(key.slice(key.lastIndexOf("/") + 1))) {
        await this.#deps.files.removeTree(key);
        removed.push(key);
      } else if (/^[a-z0-9_.-]+$/.test(key.slice(key.lastIndexOf("/") + 1))) {
        await this.#deps.files.move(key, `${folder}/${key}`);
        quarantined.push(key);
      }
    };
    for (const name of await this.#deps.files.list("voices")) {
      if (!/^voice_[a-z2-7]{20}$/.test(name) || !this.#deps.voices.getVoice(name)) {
        await unknown(`voices/${name}`);
        continue;
      }
      const known = new Set(
        this.#deps.voices.listSamples(name).flatMap((
          s,
        ) => [`${s.id}.${s.format}`, `${s.id}.norm.wav`]),
      );
      for (const file of await this.#deps.files.list(samplesDir(name))) {
        if (!known.has(file)) await unknown(`${samplesDir(name)}/${file}`);
      }
      for (const file of await this.#deps.files.list(voiceDir(name))) {
        if (isTemp(file)) await unknown(`${voiceDir(name)}/${file}`);
      }
    }
    return { removed, quarantined };
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
