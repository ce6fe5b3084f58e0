/**
 * @module
 * {@linkcode TtsEngine} over a remote OpenAI-compatible server's `/audio/speech`, asking for raw
 * PCM (16-bit, 24 kHz, as OpenAI defines it) and streaming it on as it arrives, resampled to the
 * rate the caller asked for. A stream sends each text piece as its own request, in order.
 */
import { NobodyError } from "../../domain/errors.ts";
import { AsyncQueue } from "../../lib/async_queue.ts";
import { Resampler } from "../../audio/resampler.ts";
import type { AudioChunk, SynthesisOptions, TtsEngine, TtsStream } from "../../ports/tts_engine.ts";
import { linkSignal } from "../grpc/worker_source.ts";
import { concatBytes } from "../../lib/bytes.ts";
import { decodePcm16 } from "../../audio/wav.ts";
import type { RemoteEndpoint } from "./remote_endpoint.ts";

/** OpenAI's `pcm`: 24 kHz mono 16-bit little-endian, unless the server names another rate in
 * X-Sample-Rate (nobody sends it). */
const PCM_RATE = 24_000;

export interface RemoteTtsOptions {
  /** The voice to ask for when a persona has none. */
  readonly defaultVoice: string;
  /** A nobody voice id's name: the remote server knows its voices by name. */
  readonly voiceName: (voiceId: string) => string | null;
}

export class RemoteTtsEngine implements TtsEngine {
  readonly #endpoint: RemoteEndpoint;
  readonly #options: RemoteTtsOptions;

  constructor(endpoint: RemoteEndpoint, options: RemoteTtsOptions) {
    this.#endpoint = endpoint;
    this.#options = options;
  }

  synthesize(text: string, options: SynthesisOptions = {}): AsyncIterable<AudioChunk> {
    return this.#speak(text, 0, options);
  }

  async *#speak(
    text: string,
    textIndex: number,
    options: SynthesisOptions,
  ): AsyncGenerator<AudioChunk> {
    const endpoint = this.#endpoint;
    const voice = (options.voiceId && this.#options.voiceName(options.voiceId)) ||
      this.#options.defaultVoice;
    const reply = await endpoint.post("audio/speech", {
      model: endpoint.model,
      input: text,
      voice,
      response_format: "pcm",
      ...(options.speed ? { speed: options.speed } : {}),
    }, options.signal);
    // A server that ignored response_format would have its MP3 or WAV played as noise.
    const type = reply.headers.get("content-type") ?? "";
    if (/mpeg|ogg|opus|aac|flac|webm|wav/i.test(type)) {
      reply.done();
      await reply.body.cancel().catch(() => {});
      throw endpoint.failed(
        new NobodyError(
          "unavailable",
          `${endpoint.name} answered with ${type}, not the raw PCM asked for (response_format "pcm")`,
        ),
      );
    }
    const rate = Number(reply.headers.get("x-sample-rate")) || PCM_RATE;
    const outRate = options.sampleRate || rate;
    const resampler = new Resampler(rate, outRate);
    const reader = reply.body.getReader();
    let carry: number | null = null; // a sample's first byte, when a chunk split it
    try {
      while (true) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          throw endpoint.failed(
            reply.signal.aborted ? reply.signal.reason : error,
            options.signal,
          );
        }
        if (next.done) break;
        reply.progress();
        const { samples, rest } = pcm16(next.value, carry);
        carry = rest;
        const out = resampler.process(samples);
        if (out.length > 0) yield { samples: out, sampleRate: outRate, textIndex };
      }
      const tail = resampler.flush();
      if (tail.length > 0) yield { samples: tail, sampleRate: outRate, textIndex };
    } finally {
      reply.done();
      reader.cancel().catch(() => {});
    }
  }

  stream(options: SynthesisOptions = {}): TtsStream {
    const controller = new AbortController();
    const close = () => controller.abort(new DOMException("speech closed", "AbortError"));
    const unlink = linkSignal(options.signal, controller);
    const texts = new AsyncQueue<string>();
    const chunks = new AsyncQueue<AudioChunk>({ onReturn: close });
    const run = async () => {
      try {
        let index = 0;
        for await (const text of texts) {
          for await (
            const chunk of this.#speak(text, index, { ...options, signal: controller.signal })
          ) {
            chunks.push(chunk);
          }
          index++;
        }
        chunks.end();
      } catch (error) {
        chunks.fail(controller.signal.aborted ? controller.signal.reason : error);
      } finally {
        unlink();
      }
    };
    run();
    return {
      pushText: (text) => {
        if (!texts.ended) texts.push(text);
      },
      endInput: () => texts.end(),
      chunks,
      close: () => {
        close();
        texts.end();
        chunks.end();
      },
    };
  }
}

/** 16-bit little-endian PCM as float32, carrying a split sample's first byte to the next chunk. */
export function pcm16(
  bytes: Uint8Array,
  carry: number | null,
): { samples: Float32Array; rest: number | null } {
  // Not Uint8Array.of(carry, ...bytes): spreading a large chunk overflows the call stack.
  const all = carry === null ? bytes : concatBytes(Uint8Array.of(carry), bytes);
  const whole = all.length - (all.length % 2);
  return {
    samples: decodePcm16(all.subarray(0, whole)),
    rest: whole < all.length ? all[whole] : null,
  };
}
