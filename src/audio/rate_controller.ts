/**
 * @module
 * Paces audio that arrives faster than real time (TTS) to a consumer that plays in real time:
 * at most `leadMs` ahead of the playhead. When the producer falls more than `maxDriftMs` behind
 * the playhead, the timeline slips forward to now instead of bursting to catch up, because the
 * burst would sit in the listener's buffer as added latency for the rest of the utterance.
 */

/** How far behind the producer may fall before the timeline slips (see module doc). */
export const MAX_DRIFT_MS = 500;

/**
 * A small lead absorbs scheduling jitter on the producing side (timers, GC) without adding
 * noticeable latency to a barge-in.
 */
export const DEFAULT_LEAD_MS = 100;

export interface RateControllerOptions {
  readonly sampleRate: number;
  readonly leadMs?: number;
  readonly maxDriftMs?: number;
  /** Milliseconds on a monotonic clock. */
  readonly now: () => number;
}

export interface Plan {
  /** Samples that may be sent now. */
  readonly allowed: number;
  /** When nothing may be sent, how long until one more sample may. */
  readonly waitMs: number;
  /** True when this plan re-anchored the timeline because the producer was too far behind. */
  readonly slipped: boolean;
}

export class RateController {
  readonly #rate: number;
  readonly #lead: number;
  readonly #maxDrift: number;
  readonly #now: () => number;
  #origin: number | null = null;
  #sent = 0;
  #slips = 0;

  constructor(options: RateControllerOptions) {
    this.#rate = options.sampleRate;
    this.#lead = Math.round((options.leadMs ?? DEFAULT_LEAD_MS) * options.sampleRate / 1000);
    this.#maxDrift = Math.round((options.maxDriftMs ?? MAX_DRIFT_MS) * options.sampleRate / 1000);
    this.#now = options.now;
  }

  /** The playhead in samples: where a real-time consumer is now. */
  #playhead(now: number): number {
    return this.#origin === null ? 0 : Math.floor((now - this.#origin) * this.#rate / 1000);
  }

  plan(): Plan {
    const now = this.#now();
    if (this.#origin === null) this.#origin = now;
    let slipped = false;
    if (this.#playhead(now) - this.#sent > this.#maxDrift) {
      // Re-anchor so the playhead is exactly where the producer is.
      this.#origin = now - this.#sent * 1000 / this.#rate;
      this.#slips++;
      slipped = true;
    }
    const allowed = Math.max(0, this.#playhead(now) + this.#lead - this.#sent);
    const waitMs = allowed > 0
      ? 0
      : Math.max(1, (this.#sent - this.#lead + 1) * 1000 / this.#rate - (now - this.#origin!));
    return { allowed, waitMs, slipped };
  }

  /** Records that `samples` were sent. */
  commit(samples: number): void {
    this.#sent += samples;
  }

  /** Starts a new utterance: the next plan anchors the timeline again. */
  reset(): void {
    this.#origin = null;
    this.#sent = 0;
  }

  get sent(): number {
    return this.#sent;
  }

  get slips(): number {
    return this.#slips;
  }

  /** How far ahead of the playhead the producer is, in ms (negative when behind). */
  leadMs(): number {
    return (this.#sent - this.#playhead(this.#now())) * 1000 / this.#rate;
  }
}
