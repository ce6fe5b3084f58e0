/**
 * @module
 * {@linkcode SttEngine} over a remote OpenAI-compatible server's `/audio/transcriptions`: the
 * turn's audio is kept as it arrives and sent as one WAV when it ends, so there are no partial
 * results. A phrase list goes as the `prompt`, which Whisper-style models take as vocabulary.
 */
import { NobodyError } from "../../domain/errors.ts";
import { AsyncQueue } from "../../lib/async_queue.ts";
import { concatSamples } from "../../audio/samples.ts";
import { encodeWav16 } from "../../audio/wav.ts";
import type { SttEngine, SttEvent, SttStream, SttStreamOptions } from "../../ports/stt_engine.ts";
import { linkSignal } from "../grpc/worker_source.ts";
import type { RemoteEndpoint } from "./remote_endpoint.ts";

/** Ten minutes at 48 kHz: past this a turn is not a turn, and the memory is not spent. */
const MAX_SECONDS = 600;

export class RemoteSttEngine implements SttEngine {
  readonly #endpoint: RemoteEndpoint;

  constructor(endpoint: RemoteEndpoint) {
    this.#endpoint = endpoint;
  }

  stream(options: SttStreamOptions): SttStream {
    const endpoint = this.#endpoint;
    const controller = new AbortController();
    const close = () => controller.abort(new DOMException("transcription closed", "AbortError"));
    const events = new AsyncQueue<SttEvent>({ onReturn: close });
    const unlink = linkSignal(options.signal, controller);
    const audio: Float32Array[] = [];
    let samples = 0;
    let ended = false;

    const send = async () => {
      try {
        const recording = concatSamples(audio);
        audio.length = 0;
        const form = new FormData();
        form.append(
          "file",
          new Blob([encodeWav16(recording, options.sampleRate) as Uint8Array<ArrayBuffer>], {
            type: "audio/wav",
          }),
          "speech.wav",
        );
        form.append("model", endpoint.model);
        form.append("response_format", "json");
        if (options.language) form.append("language", options.language.slice(0, 2));
        if (options.phrases?.length) form.append("prompt", options.phrases.join(", "));
        const reply = await endpoint.post("audio/transcriptions", form, controller.signal);
        let body: { text?: unknown };
        try {
          body = await new Response(reply.body).json();
        } finally {
          reply.done();
        }
        if (typeof body.text !== "string") {
          throw new NobodyError("unavailable", `${endpoint.name} sent no "text" in its answer`);
        }
        events.push({
          type: "final",
          text: body.text.trim(),
          audioMs: Math.round(recording.length / options.sampleRate * 1000),
          endOfTurnProbability: 1,
        });
        events.end();
      } catch (error) {
        events.fail(endpoint.failed(error, controller.signal));
      } finally {
        unlink();
      }
    };

    return {
      pushAudio: (chunk) => {
        if (ended || controller.signal.aborted) return;
        samples += chunk.length;
        if (samples > MAX_SECONDS * options.sampleRate) {
          ended = true;
          events.fail(new NobodyError("invalid_request", `a turn is limited to ${MAX_SECONDS} s`));
          return;
        }
        audio.push(chunk.slice());
      },
      endInput: () => {
        if (ended) return;
        ended = true;
        send();
      },
      events,
      close: () => {
        close();
        unlink();
        events.end();
      },
    };
  }
}
