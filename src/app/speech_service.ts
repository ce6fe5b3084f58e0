/**
 * @module
 * One-shot speech for programs: text to audio in any nobody voice, and a recording to text. The
 * OpenAI-compatible endpoints and the dashboard's voice preview use it.
 */
import { NobodyError, notFound } from "../domain/errors.ts";
import { isId } from "../domain/ids.ts";
import type { Voice } from "../domain/voice.ts";
import type { FileStore } from "../ports/file_store.ts";
import type { IdSource } from "../ports/runtime.ts";
import type { SampleAnalyzer } from "../ports/sample_analyzer.ts";
import type { SttEngine } from "../ports/stt_engine.ts";
import type { AudioChunk, TtsEngine } from "../ports/tts_engine.ts";
import type { VoiceRepository } from "../ports/voice_repository.ts";
import { inspectAudio } from "../audio/inspect.ts";
import { decodeWavMono } from "../audio/wav.ts";
import { unwrap } from "../domain/result.ts";
import { transcribe } from "./transcribe.ts";

/** OpenAI's voice names: programs written for it keep working, in the engine's default voice. */
export const OPENAI_VOICES = new Set([
  "alloy",
  "ash",
  "ballad",
  "cedar",
  "coral",
  "echo",
  "fable",
  "marin",
  "nova",
  "onyx",
  "sage",
  "shimmer",
  "verse",
  "default",
]);

export interface SpeechServiceDeps {
  readonly voices: VoiceRepository;
  readonly tts: TtsEngine;
  readonly stt: SttEngine;
  readonly analyzer: SampleAnalyzer;
  readonly files: FileStore;
  readonly ids: IdSource;
  /** A voice being trained again keeps speaking with its earlier artifact meanwhile. */
  readonly readyBeforeTraining: (voiceId: string) => boolean;
}

export interface Transcript {
  readonly text: string;
  readonly durationMs: number;
}

export class SpeechService {
  readonly #deps: SpeechServiceDeps;

  constructor(deps: SpeechServiceDeps) {
    this.#deps = deps;
  }

  /**
   * A voice by id or by name (any case); OpenAI's names mean the default voice (null). A cloned
   * voice must be trained: speaking a draft in the default voice would pass for it.
   */
  resolveVoice(ref: string): Voice | null {
    const name = ref.toLowerCase();
    if (OPENAI_VOICES.has(name)) return null;
    const voice = isId("voice", ref)
      ? this.#deps.voices.getVoice(ref)
      : this.#deps.voices.listVoices().find((v) => v.name.toLowerCase() === name);
    if (!voice) throw notFound("voice", ref);
    const usable = voice.status === "ready" ||
      (voice.status === "training" && this.#deps.readyBeforeTraining(voice.id));
    if (!usable) {
      throw new NobodyError(
        "conflict",
        `voice "${voice.name}" is ${voice.status}, not trained; train it before speaking with it`,
      );
    }
    return voice;
  }

  speak(
    text: string,
    options: {
      voice: Voice | null;
      sampleRate: number;
      speed?: number;
      pcm16?: boolean;
      signal?: AbortSignal;
    },
  ): AsyncIterable<AudioChunk> {
    return this.#deps.tts.synthesize(text, {
      voiceId: options.voice?.id ?? null,
      sampleRate: options.sampleRate,
      speed: options.speed,
      pcm16: options.pcm16,
      signal: options.signal,
    });
  }

  /** Writes an upload to a temp file as it arrives, for {@linkcode transcribe}. */
  async stage(
    content: Uint8Array | AsyncIterable<Uint8Array>,
    options: { maxBytes?: number; signal?: AbortSignal } = {},
  ): Promise<StagedAudio> {
    const key = `tmp/${this.#deps.ids.next("sample")}.upload`;
    const files = this.#deps.files;
    await files.write(key, content, options);
    return { key, dispose: () => files.remove(key) };
  }

  /** Any format a sample may have: the trainer decodes it into a temp file the core reads. */
  async transcribe(
    staged: StagedAudio,
    options: { signal?: AbortSignal; language?: string } = {},
  ): Promise<Transcript> {
    const head = await this.#deps.files.readHead(staged.key, 64 * 1024);
    const info = unwrap(inspectAudio(head ?? new Uint8Array(0)));
    const normalized = `${staged.key.slice(0, -".upload".length)}.norm.wav`;
    try {
      await this.#deps.analyzer.analyze({
        inputPath: this.#deps.files.path(staged.key),
        format: info.format,
        outputPath: this.#deps.files.path(normalized),
      }, options);
      const audio = unwrap(decodeWavMono((await this.#deps.files.read(normalized))!));
      const text = await transcribe(this.#deps.stt, audio, options);
      return { text, durationMs: Math.round(audio.samples.length / audio.sampleRate * 1000) };
    } finally {
      await this.#deps.files.remove(normalized);
    }
  }
}

/** An upload on disk; `dispose` removes it. */
export interface StagedAudio {
  readonly key: string;
  dispose(): Promise<void>;
}
