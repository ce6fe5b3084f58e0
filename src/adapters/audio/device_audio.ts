/**
 * @module
 * The local microphone and speaker through PortAudio: an audio Worker thread owns the devices and
 * the main thread reads and writes the SharedArrayBuffer rings, polling once per period (the audio
 * thread never notifies, since Atomics.notify takes a lock).
 */
import { NobodyError } from "../../domain/errors.ts";
import type { AudioStats } from "../../ports/audio_io.ts";
import { type AudioThreadEvent, CONTROL } from "../../../ffi/audio_messages.ts";
import { nextEvent, send, THREAD_URL } from "./audio_thread_client.ts";
import { type DirectionOptions, RingEnd, ringFor } from "./ring_end.ts";
import { RingCapture } from "./ring_capture.ts";
import { RingPlayback } from "./ring_playback.ts";

export type { DirectionOptions };

export interface DeviceAudioOptions {
  readonly library: string;
  readonly capture?: DirectionOptions;
  readonly playback?: DirectionOptions;
  readonly signal?: AbortSignal;
}

export class DeviceAudio {
  readonly capture: RingCapture | null;
  readonly playback: RingPlayback | null;
  readonly #worker: Worker;
  readonly #control: Int32Array<SharedArrayBuffer>;
  readonly #stopped: Promise<AudioThreadEvent>;
  #closed = false;

  private constructor(
    worker: Worker,
    control: Int32Array<SharedArrayBuffer>,
    stopped: Promise<AudioThreadEvent>,
    capture: RingCapture | null,
    playback: RingPlayback | null,
  ) {
    this.#worker = worker;
    this.#control = control;
    this.#stopped = stopped;
    this.capture = capture;
    this.playback = playback;
  }

  /** Starts the audio thread and opens the devices; rejects with PortAudio's reason on failure. */
  static async open(options: DeviceAudioOptions): Promise<DeviceAudio> {
    if (!options.capture && !options.playback) {
      throw new TypeError("open capture, playback or both");
    }
    const control = new Int32Array(new SharedArrayBuffer(CONTROL.SLOTS * 4));
    const captureRing = options.capture ? ringFor(options.capture) : null;
    const playbackRing = options.playback ? ringFor(options.playback) : null;
    const worker = new Worker(THREAD_URL, { type: "module" });
    try {
      const opened = nextEvent(worker, options.signal);
      send(worker, {
        type: "open",
        library: options.library,
        control: control.buffer,
        capture: options.capture && { ...options.capture, ring: captureRing!.buffer },
        playback: options.playback && { ...options.playback, ring: playbackRing!.buffer },
      });
      const event = await opened;
      if (event.type === "error") throw new NobodyError("unavailable", event.message);
      if (event.type !== "opened") throw new Error(`unexpected reply ${event.type}`);
      // The next message is the thread's last: "stopped" after a clean stop, or "error".
      const stopped = nextEvent(worker);
      const capture = options.capture && event.capture
        ? new RingCapture(
          new RingEnd(captureRing!, options.capture, event.capture, {
            block: control,
            xrunSlot: CONTROL.CAPTURE_XRUNS,
          }),
        )
        : null;
      const playback = options.playback && event.playback
        ? new RingPlayback(
          new RingEnd(playbackRing!, options.playback, event.playback, {
            block: control,
            xrunSlot: CONTROL.PLAYBACK_XRUNS,
          }),
        )
        : null;
      return new DeviceAudio(worker, control, stopped, capture, playback);
    } catch (error) {
      worker.terminate();
      throw error;
    }
  }

  stats(): AudioStats {
    return { capture: this.capture?.stats() ?? null, playback: this.playback?.stats() ?? null };
  }

  /** Stops the loop at its next period, closes the devices and ends the thread. */
  async close(): Promise<AudioStats> {
    if (this.#closed) return this.stats();
    this.#closed = true;
    Atomics.store(this.#control, CONTROL.STOP, 1);
    try {
      const last = await this.#stopped;
      if (last.type === "error") throw new Error(last.message);
    } finally {
      this.#worker.terminate();
    }
    return this.stats();
  }
}
