/**
 * @module
 * Local audio devices as the application sees them: mono float32 samples at a fixed rate.
 */

export interface AudioCapture {
  readonly sampleRate: number;
  /** Yields captured audio in chunks of `chunkFrames` until the signal aborts. */
  frames(options: { signal: AbortSignal; chunkFrames?: number }): AsyncIterable<Float32Array>;
  /** Drops audio captured but not yet read (for example the pre-roll of an unused turn). */
  discard(): void;
}

export interface AudioPlayback {
  readonly sampleRate: number;
  /** Queues samples, waiting while the queue is full. */
  write(samples: Float32Array, options?: { signal?: AbortSignal }): Promise<void>;
  /** Resolves once everything queued has reached the speaker. */
  drain(options?: { signal?: AbortSignal }): Promise<void>;
  /** Drops everything queued (barge-in): nothing written before the call is heard after it. */
  flush(): void;
  /** Audio queued and not yet played, in ms. */
  queuedMs(): number;
}

export interface AudioStats {
  readonly capture: DirectionStats | null;
  readonly playback: DirectionStats | null;
}

export interface DirectionStats {
  readonly deviceName: string;
  readonly sampleRate: number;
  readonly framesPerBuffer: number;
  /** Device latency reported by the driver. */
  readonly latencyMs: number;
  /** Periods the device lost (input overflow or output underflow). */
  readonly deviceXruns: number;
  /** Samples dropped because the capture ring was full. */
  readonly overrunSamples: number;
  /** Samples of silence played because the playback ring ran dry mid-stream. */
  readonly underrunSamples: number;
}

/** Where a reply's audio goes: a WebSocket client or the local speaker. */
export interface AudioSink {
  readonly sampleRate: number;
  /** Sends samples, paced at real time plus a small lead. */
  write(samples: Float32Array, options?: { signal?: AbortSignal }): Promise<void>;
  /** Resolves once everything written has been heard. */
  finish(options?: { signal?: AbortSignal }): Promise<void>;
  /** Drops what is queued and starts the next utterance afresh (barge-in, cancel). */
  flush(): void;
  /** About how long until a sample written now is heard, in ms. */
  latencyMs(): number;
}

/** The local microphone and speaker of a device session. */
export interface DeviceIo {
  readonly capture: AudioCapture;
  readonly sink: AudioSink;
}

/** The opened devices, held by one session at a time; `close` releases them. */
export interface DeviceLease {
  readonly io: DeviceIo;
  close(): Promise<void>;
}
