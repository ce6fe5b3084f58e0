/**
 * @module
 * The local microphone and speaker through PortAudio: an audio Worker thread owns the devices and
 * the main thread reads and writes the SharedArrayBuffer rings, polling once per period (the audio
 * thread never notifies, since Atomics.notify takes a lock).
 */
import { NobodyError } from "../../domain/errors.ts";
import { SpscRing } from "../../audio/ring.ts";
import { delay } from "../../lib/delay.ts";
import type {
  AudioCapture,
  AudioPlayback,
  AudioStats,
  DirectionStats,
} from "../../ports/audio_io.ts";
import {
  type AudioThreadEvent,
  type AudioThreadRequest,
  CONTROL,
  type OpenedDirection,
} from "../../../ffi/audio_messages.ts";
import type { DeviceInfo } from "../../../ffi/portaudio.ts";

const THREAD_URL = new URL("../../../ffi/audio_thread.ts", import.meta.url);

export interface DirectionOptions {
  readonly device?: number;
  readonly sampleRate: number;
  /** One period; 480 frames is 10 ms at 48 kHz. */
  readonly framesPerBuffer: number;
  readonly latencyMs?: number;
  /** Ring size. Two seconds covers any main-thread stall we would survive anyway. */
  readonly ringMs?: number;
}

export interface DeviceAudioOptions {
  readonly library: string;
  readonly capture?: DirectionOptions;
  readonly playback?: DirectionOptions;
  readonly signal?: AbortSignal;
}

const DEFAULT_RING_MS = 2_000;

function ringFor(options: DirectionOptions): SpscRing {
  return SpscRing.create(
    Math.ceil((options.ringMs ?? DEFAULT_RING_MS) * options.sampleRate / 1000),
  );
}

function periodMs(options: DirectionOptions): number {
  return options.framesPerBuffer * 1000 / options.sampleRate;
}

/**
 * How often the main thread looks at a ring. Half a period keeps a frame from waiting more than
 * half a period on our side; 2 ms bounds the timer rate for very short periods.
 */
function pollMs(options: DirectionOptions): number {
  return Math.max(2, periodMs(options) / 2);
}

function nextEvent(worker: Worker, signal?: AbortSignal): Promise<AudioThreadEvent> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      signal?.removeEventListener("abort", onAbort);
    };
    const onMessage = (event: MessageEvent<AudioThreadEvent>) => {
      cleanup();
      resolve(event.data);
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      cleanup();
      reject(new Error(`audio thread failed: ${event.message}`));
    };
    const onAbort = () => {
      cleanup();
      reject(signal!.reason);
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function send(worker: Worker, request: AudioThreadRequest): void {
  worker.postMessage(request);
}

/** Lists devices from a short-lived audio thread, keeping PortAudio off the main thread. */
export async function listDevices(
  library: string,
  options: { signal?: AbortSignal } = {},
): Promise<DeviceInfo[]> {
  const worker = new Worker(THREAD_URL, { type: "module" });
  try {
    const reply = nextEvent(worker, options.signal);
    send(worker, { type: "list_devices", library });
    const event = await reply;
    if (event.type === "error") throw new NobodyError("unavailable", event.message);
    if (event.type !== "devices") throw new Error(`unexpected reply ${event.type}`);
    return event.devices;
  } finally {
    worker.terminate();
  }
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
