/**
 * @module
 * Writes audio that arrives faster than real time (TTS) to a sink at real time plus a small lead,
 * as the {@linkcode RateController} allows, in frames of at most `maxFrameMs`.
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

export class PacedWriter {
  readonly #options: PacedWriterOptions;
  readonly #maxFrame: number;
  readonly #sleep: (ms: number, options: { signal?: AbortSignal }) => Promise<void>;
  #controller: RateController;

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
    let at = 0;
    while (at < samples.length) {
      options.signal?.throwIfAborted();
      const plan = this.#controller.plan();
      if (plan.allowed === 0) {
        await this.#sleep(plan.waitMs, options);
        continue;
      }
      const count = Math.min(plan.allowed, this.#maxFrame, samples.length - at);
      await this.#options.send(samples.subarray(at, at + count));
      this.#controller.commit(count);
      at += count;
    }
  }

  /** How far ahead of the listener the writer is, in ms (0 when caught up). */
  aheadMs(): number {
    return Math.max(0, this.#controller.leadMs());
  }

  /** Starts a new utterance: the next write anchors a fresh timeline. */
  reset(): void {
    this.#controller = this.#newController();
  }
}
