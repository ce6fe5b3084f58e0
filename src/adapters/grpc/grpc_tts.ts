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
import { workerError } from "./errors.ts";
import { bytesF32, linkSignal, type WorkerSource } from "./worker_source.ts";
import { duplexCall } from "./duplex_call.ts";

function settings(options: SynthesisOptions): SynthesizeSettings {
  return create(SynthesizeSettingsSchema, {
    voice: { voiceId: options.voiceId ?? "" },
    sampleRate: options.sampleRate ?? 0,
    speed: options.speed ?? 0,
  });
}

function chunk(response: SynthesizeResponse): AudioChunk {
  return {
    samples: bytesF32(response.audio?.pcmF32le ?? new Uint8Array()),
    sampleRate: response.audio?.sampleRate ?? 0,
    textIndex: response.textIndex,
  };
}

export class GrpcTtsEngine implements TtsEngine {
  readonly #workers: WorkerSource;

  constructor(workers: WorkerSource) {
    this.#workers = workers;
  }

  async *synthesize(
    text: string,
    options: SynthesisOptions & { timeoutMs?: number } = {},
  ): AsyncIterable<AudioChunk> {
    const controller = new AbortController();
    const unlink = linkSignal(options.signal, controller);
    try {
      const transport = await this.#workers.acquire("tts", { signal: controller.signal });
      const client = createClient(TextToSpeech, transport);
      const responses = client.synthesize({ text, settings: settings(options) }, {
        signal: controller.signal,
        timeoutMs: options.timeoutMs,
      })[Symbol.asyncIterator]();
      // Iterated by hand so that a consumer that stops early cancels the call in finally: the
      // response iterator's return() leaves it open, holding HTTP/2 flow-control window.
      while (true) {
        const next = await responses.next();
        if (next.done) break;
        yield chunk(next.value);
      }
    } catch (error) {
      throw workerError("tts", error, controller.signal);
    } finally {
      controller.abort(new DOMException("synthesis finished", "AbortError"));
      unlink();
    }
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
