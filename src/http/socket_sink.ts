/**
 * @module
 * A WebSocket client as an {@linkcode AudioSink}: reply audio goes out as binary frames of
 * float32 little-endian PCM, paced at real time plus a small lead. The client plays what arrives
 * and drops its queue when a new recording starts (barge-in) or the session goes idle (cancel).
 */
import { PacedWriter } from "../audio/paced_writer.ts";
import { delay } from "../lib/delay.ts";
import type { AudioSink } from "../ports/audio_io.ts";

export class SocketSink implements AudioSink {
  readonly sampleRate: number;
  readonly #writer: PacedWriter;

  constructor(socket: WebSocket, sampleRate: number) {
    this.sampleRate = sampleRate;
    this.#writer = new PacedWriter({
      sampleRate,
      send: (frame) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(frame.slice().buffer);
      },
    });
  }

  write(samples: Float32Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#writer.write(samples, options);
  }

  async finish(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#writer.end(options);
    // What is ahead of real time is still playing on the client.
    await delay(this.#writer.aheadMs(), options);
    this.#writer.reset();
  }

  flush(): void {
    this.#writer.reset();
  }

  latencyMs(): number {
    return this.#writer.aheadMs();
  }
}
