/**
 * @module
 * The last few hundred milliseconds of microphone audio, kept while a device session is armed so
 * the first word of a push-to-talk turn is never clipped by the key press coming late.
 */

export class PreRoll {
  readonly #buffer: Float32Array;
  #write = 0;
  #filled = 0;

  constructor(samples: number) {
    this.#buffer = new Float32Array(samples);
  }

  push(frame: Float32Array): void {
    const size = this.#buffer.length;
    const start = Math.max(0, frame.length - size);
    for (let i = start; i < frame.length; i++) {
      this.#buffer[this.#write] = frame[i];
      this.#write = (this.#write + 1) % size;
    }
    this.#filled = Math.min(size, this.#filled + frame.length - start);
  }

  /** The kept audio, oldest first; empties the buffer. */
  take(): Float32Array {
    const size = this.#buffer.length;
    const out = new Float32Array(this.#filled);
    const first = (this.#write - this.#filled + size) % size;
    for (let i = 0; i < this.#filled; i++) out[i] = this.#buffer[(first + i) % size];
    this.#filled = 0;
    return out;
  }
}
