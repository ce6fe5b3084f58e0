/**
 * @module
 * The local speaker as an {@linkcode AudioSink}: replies are paced into the playback ring at real
 * time plus a small lead, so a barge-in has little queued to drop.
 */
import { PacedWriter } from "../../audio/paced_writer.ts";
import type { AudioPlayback, AudioSink } from "../../ports/audio_io.ts";

export class DeviceSink implements AudioSink {
  readonly sampleRate: number;
  readonly #playback: AudioPlayback;
  readonly #writer: PacedWriter;
  readonly #deviceLatencyMs: number;

  constructor(playback: AudioPlayback, options: { deviceLatencyMs: number }) {
    this.#playback = playback;
    this.sampleRate = playback.sampleRate;
    this.#deviceLatencyMs = options.deviceLatencyMs;
    this.#writer = new PacedWriter({
      sampleRate: playback.sampleRate,
      send: (frame) => playback.write(frame),
    });
  }

  write(samples: Float32Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#writer.write(samples, options);
  }

  async finish(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#writer.end(options);
    await this.#playback.drain(options);
    this.#writer.reset();
  }

  flush(): void {
    this.#playback.flush();
    this.#writer.reset();
  }

  latencyMs(): number {
    return this.#playback.queuedMs() + this.#deviceLatencyMs;
  }
}
