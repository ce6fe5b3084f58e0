/**
 * @module
 * The speaker as the application's AudioPlayback: writes the playback ring, waits for it to drain,
 * and flushes it on barge-in.
 */
import { delay } from "../../lib/delay.ts";
import type { AudioPlayback, DirectionStats } from "../../ports/audio_io.ts";
import { periodMs, type RingEnd } from "./ring_end.ts";

export class RingPlayback implements AudioPlayback {
  readonly sampleRate: number;
  readonly #end: RingEnd;

  constructor(end: RingEnd) {
    this.#end = end;
    this.sampleRate = end.options.sampleRate;
  }

  async write(samples: Float32Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    const ring = this.#end.ring;
    let offset = 0;
    while (offset < samples.length) {
      options.signal?.throwIfAborted();
      offset += ring.write(samples, offset);
      // Only after data is in the ring: flagged first, a dry ring would count as an underrun.
      ring.setStreaming(true);
      if (offset < samples.length) await delay(this.#end.pollMs, options);
    }
  }

  async drain(options: { signal?: AbortSignal } = {}): Promise<void> {
    const ring = this.#end.ring;
    // No more data is coming: the dry ring at the end is not an underrun.
    ring.setStreaming(false);
    while (ring.availableRead() > 0) await delay(this.#end.pollMs, options);
    // The last samples left the ring; they still pass through the device buffer.
    await delay(this.#end.latencyMs + periodMs(this.#end.options), options);
  }

  flush(): void {
    this.#end.ring.setStreaming(false);
    this.#end.ring.requestFlush();
  }

  queuedMs(): number {
    return this.#end.ring.availableRead() * 1000 / this.sampleRate;
  }

  stats(): DirectionStats {
    return this.#end.stats();
  }
}
