/**
 * @module
 * The speaker of a device session, open only while a reply plays: it opens on a reply's first
 * audio and closes a moment after the reply is heard (or dropped). A session that idles all day
 * holds no output stream, which on a Mac keeps the audio hardware awake, and an unclocked device
 * writes no hours of silence.
 */
import type { AudioSink } from "../../ports/audio_io.ts";

export interface OpenSpeaker {
  readonly sink: AudioSink;
  close(): Promise<void>;
}

/** A barge-in or a follow-up question right after a reply reuses the stream. */
export const SPEAKER_IDLE_CLOSE_MS = 1_500;

export class OnDemandSpeaker implements AudioSink {
  readonly sampleRate: number;
  readonly #open: () => Promise<OpenSpeaker>;
  readonly #idleCloseMs: number;
  #speaker: Promise<OpenSpeaker> | null = null;
  #current: OpenSpeaker | null = null;
  #closing: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #busy = 0;

  constructor(
    open: () => Promise<OpenSpeaker>,
    options: { sampleRate: number; idleCloseMs?: number },
  ) {
    this.#open = open;
    this.sampleRate = options.sampleRate;
    this.#idleCloseMs = options.idleCloseMs ?? SPEAKER_IDLE_CLOSE_MS;
  }

  /** Whether an output stream is open now. */
  get isOpen(): boolean {
    return this.#current !== null;
  }

  async write(samples: Float32Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#busy++;
    try {
      const speaker = await this.#ensure();
      await speaker.sink.write(samples, options);
    } finally {
      this.#busy--;
    }
  }

  async finish(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (!this.#speaker) return;
    this.#busy++;
    try {
      await (await this.#speaker).sink.finish(options);
    } finally {
      this.#busy--;
      this.#idle();
    }
  }

  flush(): void {
    this.#current?.sink.flush();
    this.#idle();
  }

  latencyMs(): number {
    return this.#current?.sink.latencyMs() ?? 0;
  }

  /** Closes the stream now (the session ends). */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#release();
  }

  #ensure(): Promise<OpenSpeaker> {
    clearTimeout(this.#timer);
    if (!this.#speaker) {
      // A close still under way finishes first: one output stream at a time.
      const opening = this.#closing.then(() => this.#open());
      this.#speaker = opening;
      opening.then((s) => this.#current = s, () => {
        if (this.#speaker === opening) this.#speaker = null; // the next reply tries again
      });
    }
    return this.#speaker;
  }

  #idle(): void {
    clearTimeout(this.#timer);
    if (!this.#speaker) return;
    this.#timer = setTimeout(() => {
      if (this.#busy === 0) this.#release();
    }, this.#idleCloseMs);
  }

  #release(): Promise<void> {
    const speaker = this.#speaker;
    if (!speaker) return this.#closing;
    this.#speaker = null;
    this.#current = null;
    this.#closing = speaker.then((s) => s.close(), () => {}).catch(() => {});
    return this.#closing;
  }
}
