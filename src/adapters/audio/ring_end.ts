/**
 * @module
 * One direction (capture or playback) of the devices as the main thread sees it: its
 * SharedArrayBuffer ring, its settings, the device's facts, and how often to poll the ring.
 */
import { SpscRing } from "../../audio/ring.ts";
import type { DirectionStats } from "../../ports/audio_io.ts";
import type { OpenedDirection } from "../../../ffi/audio_messages.ts";

export interface DirectionOptions {
  readonly device?: number;
  readonly sampleRate: number;
  /** One period; 480 frames is 10 ms at 48 kHz. */
  readonly framesPerBuffer: number;
  readonly latencyMs?: number;
  /** Ring size. Two seconds covers any main-thread stall we would survive anyway. */
  readonly ringMs?: number;
}

const DEFAULT_RING_MS = 2_000;

export function ringFor(options: DirectionOptions): SpscRing {
  return SpscRing.create(
    Math.ceil((options.ringMs ?? DEFAULT_RING_MS) * options.sampleRate / 1000),
  );
}

export function periodMs(options: DirectionOptions): number {
  return options.framesPerBuffer * 1000 / options.sampleRate;
}

/**
 * How often the main thread looks at a ring. Half a period keeps a frame from waiting more than
 * half a period on our side; 2 ms bounds the timer rate for very short periods.
 */
export function pollMs(options: DirectionOptions): number {
  return Math.max(2, periodMs(options) / 2);
}

/** One direction's side of the shared state: its ring, settings and device facts. */
export class RingEnd {
  readonly ring: SpscRing;
  readonly options: DirectionOptions;
  readonly #opened: OpenedDirection;
  readonly #control: Int32Array<SharedArrayBuffer>;
  readonly #xrunSlot: number;

  constructor(
    ring: SpscRing,
    options: DirectionOptions,
    opened: OpenedDirection,
    control: { block: Int32Array<SharedArrayBuffer>; xrunSlot: number },
  ) {
    this.ring = ring;
    this.options = options;
    this.#opened = opened;
    this.#control = control.block;
    this.#xrunSlot = control.xrunSlot;
  }

  get latencyMs(): number {
    return this.#opened.latencyMs;
  }

  /** How often the main thread looks at the ring; see {@linkcode pollMs}. */
  get pollMs(): number {
    return pollMs(this.options);
  }

  stats(): DirectionStats {
    return {
      deviceName: this.#opened.deviceName,
      sampleRate: this.options.sampleRate,
      framesPerBuffer: this.options.framesPerBuffer,
      latencyMs: this.#opened.latencyMs,
      deviceXruns: Atomics.load(this.#control, this.#xrunSlot),
      overrunSamples: this.ring.overruns,
      underrunSamples: this.ring.underruns,
    };
  }
}
