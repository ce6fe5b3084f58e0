/**
 * @module
 * {@linkcode SttEngine} over the speech-to-text worker: audio is streamed up as it is pushed,
 * partial and final results stream back.
 */
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import {
  SpeechToText,
  type TranscribeRequest,
  TranscribeRequestSchema,
} from "../../gen/nobody/v1/stt_pb.ts";
import type { SttEngine, SttEvent, SttStream, SttStreamOptions } from "../../ports/stt_engine.ts";
import { concatSamples } from "../../audio/samples.ts";
import { duplexCall } from "./worker_calls.ts";
import { f32Bytes, type WorkerSource } from "./worker_source.ts";

/** Audio per message to the worker. */
const BATCH_MS = 100;

export class GrpcSttEngine implements SttEngine {
  readonly #workers: WorkerSource;

  constructor(workers: WorkerSource) {
    this.#workers = workers;
  }

  stream(options: SttStreamOptions & { timeoutMs?: number }): SttStream {
    const config = create(TranscribeRequestSchema, {
      payload: {
        case: "config",
        value: {
          sampleRate: options.sampleRate,
          language: options.language ?? "",
          phrases: [...(options.phrases ?? [])],
          noPartials: options.wholeRecording ?? false,
          speakerState: options.speakerState ?? new Uint8Array(),
        },
      },
    });
    async function* requests(
      audio: AsyncIterable<Float32Array>,
    ): AsyncGenerator<TranscribeRequest> {
      yield config;
      for await (const samples of audio) {
        yield create(TranscribeRequestSchema, {
          payload: { case: "audio", value: f32Bytes(samples) },
        });
      }
    }
    const call = duplexCall({
      worker: "stt",
      workers: this.#workers,
      signal: options.signal,
      call: (transport, audio: AsyncIterable<Float32Array>, signal) =>
        createClient(SpeechToText, transport).transcribe(requests(audio), {
          signal,
          timeoutMs: options.timeoutMs,
        }),
      map: (r): SttEvent => {
        const audioMs = Number(r.audioMs);
        return r.isFinal
          ? {
            type: "final",
            text: r.text,
            audioMs,
            endOfTurnProbability: r.endOfTurnProbability,
            speakerState: r.speakerState,
          }
          : { type: "partial", text: r.text, audioMs };
      },
    });
    // Microphone frames (10-20 ms) go up in 100 ms messages: each message costs the worker
    // more in gRPC and numpy overhead than decoding its audio, and partials come every 200 ms.
    const batchSamples = Math.round(options.sampleRate * BATCH_MS / 1000);
    let pending: Float32Array[] = [];
    let pendingSamples = 0;
    const send = () => {
      if (pendingSamples === 0) return;
      call.input.push(concatSamples(pending));
      pending = [];
      pendingSamples = 0;
    };
    return {
      pushAudio: (samples) => {
        if (call.input.ended) return;
        pending.push(samples.slice());
        pendingSamples += samples.length;
        if (pendingSamples >= batchSamples) send();
      },
      endInput: () => {
        if (call.input.ended) return;
        send();
        call.input.end();
      },
      events: call.output,
      close: call.close,
    };
  }
}
