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
import { AsyncQueue } from "../../lib/async_queue.ts";
import type { SttEngine, SttEvent, SttStream, SttStreamOptions } from "../../ports/stt_engine.ts";
import { workerError } from "./errors.ts";
import { f32Bytes, linkSignal, type WorkerSource } from "./worker_source.ts";

export class GrpcSttEngine implements SttEngine {
  readonly #workers: WorkerSource;

  constructor(workers: WorkerSource) {
    this.#workers = workers;
  }

  stream(options: SttStreamOptions & { timeoutMs?: number }): SttStream {
    const audio = new AsyncQueue<Float32Array>();
    const controller = new AbortController();
    // A consumer that stops reading abandons the utterance.
    const events = new AsyncQueue<SttEvent>({
      onReturn: () => controller.abort(new DOMException("transcription closed", "AbortError")),
    });
    const unlink = linkSignal(options.signal, controller);
    // An abandoned call must not leave the request generator waiting for audio forever.
    controller.signal.addEventListener("abort", () => audio.end(), { once: true });

    async function* requests(): AsyncGenerator<TranscribeRequest> {
      yield create(TranscribeRequestSchema, {
        payload: {
          case: "config",
          value: {
            sampleRate: options.sampleRate,
            language: options.language ?? "",
            phrases: [...(options.phrases ?? [])],
          },
        },
      });
      for await (const samples of audio) {
        yield create(TranscribeRequestSchema, {
          payload: { case: "audio", value: f32Bytes(samples) },
        });
      }
    }

    const run = async () => {
      try {
        const transport = await this.#workers.acquire("stt", { signal: controller.signal });
        const client = createClient(SpeechToText, transport);
        const responses = client.transcribe(requests(), {
          signal: controller.signal,
          timeoutMs: options.timeoutMs,
        });
        for await (const r of responses) {
          const audioMs = Number(r.audioMs);
          events.push(
            r.isFinal
              ? {
                type: "final",
                text: r.text,
                audioMs,
                endOfTurnProbability: r.endOfTurnProbability,
              }
              : { type: "partial", text: r.text, audioMs },
          );
        }
        events.end();
      } catch (error) {
        events.fail(workerError("stt", error, controller.signal));
      } finally {
        unlink();
      }
    };
    // The call's outcome always lands in `events`, which the stream's owner consumes.
    run();

    return {
      pushAudio: (samples) => {
        if (!audio.ended) audio.push(samples.slice());
      },
      endInput: () => audio.end(),
      events,
      close: () => controller.abort(new DOMException("transcription closed", "AbortError")),
    };
  }
}
