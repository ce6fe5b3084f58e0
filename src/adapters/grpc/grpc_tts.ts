/**
 * @module
 * {@linkcode TtsEngine} over the text-to-speech worker: audio chunks stream back while the worker
 * synthesizes; a stream takes text piece by piece (sentence by sentence from an LLM).
 */
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import {
  type SynthesizeResponse,
  type SynthesizeSettings,
  SynthesizeSettingsSchema,
  type SynthesizeStreamRequest,
  SynthesizeStreamRequestSchema,
  TextToSpeech,
} from "../../gen/nobody/v1/tts_pb.ts";
import type { AudioChunk, SynthesisOptions, TtsEngine, TtsStream } from "../../ports/tts_engine.ts";
import { bytesF32, type WorkerSource } from "./worker_source.ts";
import { decodePcm16 } from "../../audio/wav.ts";
import { duplexCall, serverStream } from "./worker_calls.ts";

function settings(options: SynthesisOptions): SynthesizeSettings {
  return create(SynthesizeSettingsSchema, {
    voice: { voiceId: options.voiceId ?? "" },
    sampleRate: options.sampleRate ?? 0,
    speed: options.speed ?? 0,
    pcmS16le: options.pcm16 ?? false,
  });
}

function chunk(response: SynthesizeResponse): AudioChunk {
  const sampleRate = response.audio?.sampleRate ?? 0;
  const textIndex = response.textIndex;
  const pcm16 = response.audio?.pcmS16le;
  if (pcm16?.length) {
    let samples: Float32Array | undefined;
    // Decoded only for a consumer that wants floats; an HTTP answer sends the bytes as they are.
    return {
      pcm16,
      get samples() {
        return samples ??= decodePcm16(pcm16);
      },
      sampleRate,
      textIndex,
    };
  }
  return {
    samples: bytesF32(response.audio?.pcmF32le ?? new Uint8Array()),
    sampleRate,
    textIndex,
  };
}

export class GrpcTtsEngine implements TtsEngine {
  readonly #workers: WorkerSource;

  constructor(workers: WorkerSource) {
    this.#workers = workers;
  }

  synthesize(
    text: string,
    options: SynthesisOptions & { timeoutMs?: number } = {},
  ): AsyncIterable<AudioChunk> {
    return serverStream({
      worker: "tts",
      workers: this.#workers,
      signal: options.signal,
      call: (transport, signal) =>
        createClient(TextToSpeech, transport).synthesize({ text, settings: settings(options) }, {
          signal,
          timeoutMs: options.timeoutMs,
        }),
      map: chunk,
    });
  }

  stream(options: SynthesisOptions & { timeoutMs?: number } = {}): TtsStream {
    const first = create(SynthesizeStreamRequestSchema, {
      payload: { case: "settings", value: settings(options) },
    });
    async function* requests(
      texts: AsyncIterable<string>,
    ): AsyncGenerator<SynthesizeStreamRequest> {
      yield first;
      for await (const text of texts) {
        yield create(SynthesizeStreamRequestSchema, { payload: { case: "text", value: text } });
      }
    }
    const call = duplexCall({
      worker: "tts",
      workers: this.#workers,
      signal: options.signal,
      call: (transport, texts: AsyncIterable<string>, signal) =>
        createClient(TextToSpeech, transport).synthesizeStream(requests(texts), {
          signal,
          timeoutMs: options.timeoutMs,
        }),
      map: chunk,
    });
    return {
      pushText: (text) => {
        if (!call.input.ended) call.input.push(text);
      },
      endInput: () => call.input.end(),
      chunks: call.output,
      close: call.close,
    };
  }
}
