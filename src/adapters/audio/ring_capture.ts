/**
 * @module
 * The microphone as the application's AudioCapture: reads the capture ring in chunks.
 */
import { delay } from "../../lib/delay.ts";
import type { AudioCapture, DirectionStats } from "../../ports/audio_io.ts";
import type { RingEnd } from "./ring_end.ts";

export class RingCapture implements AudioCapture {
  readonly sampleRate: number;
  readonly #end: RingEnd;

  constructor(end: RingEnd) {
    this.#end = end;
    this.sampleRate = end.options.sampleRate;
  }

  async *frames(
    options: { signal: AbortSignal; chunkFrames?: number },
  ): AsyncIterable<Float32Array> {
    const chunk = options.chunkFrames ?? this.#end.options.framesPerBuffer;
    const ring = this.#end.ring;
    while (!options.signal.aborted) {
      if (ring.availableRead() >= chunk) {
        const out = new Float32Array(chunk);
        ring.read(out);
        yield out;
        continue;
      }
      try {
        await delay(this.#end.pollMs, { signal: options.signal });
      } catch {
        return;
      }
    }
  }

  discard(): void {
    this.#end.ring.discard();
  }

  stats(): DirectionStats {
    return this.#end.stats();
  }
}
