/**
 * @module
 * Writes audio that arrives faster than real time (TTS) to a sink at real time plus a small lead,
 * as the {@linkcode RateController} allows, in whole frames of `maxFrameMs`: a remainder waits
 * for the next write, and {@linkcode PacedWriter.end} sends the last short frame of an utterance.
 */
import { delay } from "../lib/delay.ts";
import { RateController } from "./rate_controller.ts";

export interface PacedWriterOptions {
  readonly sampleRate: number;
  readonly send: (frame: Float32Array) => void | Promise<void>;
  readonly leadMs?: number;
  /** 20 ms frames keep WebSocket messages small and barge-in responsive. */
  readonly maxFrameMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, options: { signal?: AbortSignal }) => Promise<void>;
}

const EMPTY = new Float32Array(0);

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export class PacedWriter {
  readonly #options: PacedWriterOptions;
  readonly #maxFrame: number;
  readonly #sleep: (ms: number, options: { signal?: AbortSignal }) => Promise<void>;
  #controller: RateController;
  /** Samples short of a whole frame, waiting for the next write. */
  #carry: Float32Array = EMPTY;

  constructor(options: PacedWriterOptions) {
    this.#options = options;
    this.#maxFrame = Math.round((options.maxFrameMs ?? 20) * options.sampleRate / 1000);
    this.#sleep = options.sleep ?? delay;
    this.#controller = this.#newController();
  }

  #newController(): RateController {
    return new RateController({
      sampleRate: this.#options.sampleRate,
      leadMs: this.#options.leadMs,
      now: this.#options.now ?? (() => performance.now()),
    });
  }

  async write(samples: Float32Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    const pending = this.#carry.length === 0 ? samples : concat(this.#carry, samples);
    this.#carry = EMPTY;
    let at = 0;
    while (pending.length - at >= this.#maxFrame) {
      await this.#send(pending.subarray(at, at + this.#maxFrame), options);
      at += this.#maxFrame;
    }
    this.#carry = pending.slice(at);
  }

  /** Sends what is left of the utterance (less than a frame), paced like the rest. */
  async end(options: { signal?: AbortSignal } = {}): Promise<void> {
    const rest = this.#carry;
    this.#carry = EMPTY;
    if (rest.length > 0) await this.#send(rest, options);
  }

  async #send(frame: Float32Array, options: { signal?: AbortSignal }): Promise<void> {
    while (true) {
      options.signal?.throwIfAborted();
      const plan = this.#controller.plan();
      if (plan.allowed >= frame.length) break;
      // Until the whole frame is allowed: never a sliver of a frame on its own.
      const missingMs = (frame.length - plan.allowed) * 1000 / this.#options.sampleRate;
      await this.#sleep(Math.max(plan.waitMs, missingMs, 1), options);
    }
    await this.#options.send(frame);
    this.#controller.commit(frame.length);
  }

  /** How far ahead of the listener the writer is, in ms (0 when caught up). */
  aheadMs(): number {
    return Math.max(0, this.#controller.leadMs());
  }

  /** Starts a new utterance: the next write anchors a fresh timeline; unsent audio is dropped. */
  reset(): void {
    this.#carry = EMPTY;
    this.#controller = this.#newController();
  }
}
