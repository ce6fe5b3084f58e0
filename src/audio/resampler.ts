/**
 * @module
 * A streaming windowed-sinc resampler for mono float32 audio: what the core needs when an engine
 * it does not run (a remote speech server) gives audio at a rate other than the one asked for.
 * The kernel's cutoff sits below the lower of the two Nyquist rates, so downsampling does not
 * alias; the output lags the input by nothing (the kernel is centred, the tail comes on flush).
 */
import { concatSamples } from "./samples.ts";

/** Kernel half-width in input samples at unit cutoff: 16 keeps ripple low at little cost. */
const HALF_TAPS = 16;
/** The kernel is tabulated at this many sub-sample offsets and interpolated between them. */
const PHASES = 256;

export class Resampler {
  readonly #step: number;
  readonly #cutoff: number;
  readonly #half: number;
  /** Row p holds the kernel's 2·half taps for the fractional offset p / PHASES. */
  readonly #table: Float32Array;
  /** Input not yet fully used, starting at input index #base. */
  #buffer: Float32Array = new Float32Array(0);
  #base = 0;
  /** Position of the next output, in input samples. */
  #position = 0;
  #flushed = false;

  constructor(readonly inputRate: number, readonly outputRate: number) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError("rates must be positive");
    this.#step = inputRate / outputRate;
    this.#cutoff = Math.min(1, outputRate / inputRate) * 0.94;
    this.#half = Math.ceil(HALF_TAPS / this.#cutoff);
    const taps = 2 * this.#half;
    this.#table = new Float32Array((PHASES + 1) * taps);
    for (let p = 0; p <= PHASES; p++) {
      for (let j = 0; j < taps; j++) {
        // Tap j of row p multiplies input centre - half + 1 + j, at distance (j - half + 1) - p/PHASES.
        const x = j - this.#half + 1 - p / PHASES;
        this.#table[p * taps + j] = kernel(x, this.#cutoff, this.#half) * this.#cutoff;
      }
    }
  }

  /** Resamples the next piece of input; returns what can be computed so far. */
  process(input: Float32Array): Float32Array {
    if (this.#flushed) throw new Error("the resampler was flushed");
    if (this.inputRate === this.outputRate) return input.slice();
    this.#append(input);
    return this.#run(false);
  }

  /** The remaining output, as if silence followed the input. */
  flush(): Float32Array {
    if (this.inputRate === this.outputRate || this.#flushed) return new Float32Array(0);
    this.#flushed = true;
    this.#append(new Float32Array(this.#half + 1));
    return this.#run(true);
  }

  #append(input: Float32Array): void {
    this.#buffer = concatSamples([this.#buffer, input]);
  }

  #run(final: boolean): Float32Array {
    const half = this.#half, buffer = this.#buffer, base = this.#base, table = this.#table;
    const taps = 2 * half;
    const end = base + buffer.length; // input indices available: [base, end)
    const realEnd = final ? end - (half + 1) : end;
    const out: number[] = [];
    while (true) {
      const t = this.#position;
      const centre = Math.floor(t);
      if (final ? t >= realEnd : centre + half >= end) break;
      const where = (t - centre) * PHASES;
      const phase = Math.floor(where), mix = where - phase;
      const row = phase * taps, next = row + taps;
      let sum = 0;
      const first = centre - half + 1;
      for (let j = Math.max(0, base - first); j < taps; j++) { // before the first sample: silence
        const h = table[row + j] + mix * (table[next + j] - table[row + j]);
        sum += buffer[first + j - base] * h;
      }
      out.push(sum);
      this.#position += this.#step;
    }
    // Keep what the next outputs still reach back to.
    const keepFrom = Math.max(base, Math.floor(this.#position) - half + 1);
    this.#buffer = buffer.slice(keepFrom - base);
    this.#base = keepFrom;
    return Float32Array.from(out);
  }
}

/** A sinc at `cutoff` (of the input's Nyquist rate) under a Blackman window `half` wide. */
function kernel(x: number, cutoff: number, half: number): number {
  if (Math.abs(x) >= half) return 0;
  const window = 0.42 + 0.5 * Math.cos(Math.PI * x / half) +
    0.08 * Math.cos(2 * Math.PI * x / half);
  const arg = Math.PI * cutoff * x;
  return (x === 0 ? 1 : Math.sin(arg) / arg) * window;
}
