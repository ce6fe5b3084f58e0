/**
 * @module
 * The audio thread: a dedicated Worker that owns PortAudio and moves samples between the devices
 * and the SPSC rings with blocking reads and writes. Its loop allocates nothing, takes no lock and
 * never awaits; the main thread never touches PortAudio on the real-time path.
 */
import { SpscRing } from "../src/audio/ring.ts";
import {
  type AudioThreadEvent,
  type AudioThreadRequest,
  CONTROL,
  type DirectionConfig,
} from "./audio_messages.ts";
import { PortAudio, type Stream } from "./portaudio.ts";

/** The worker's global scope (the default lib types `self` as a window). */
const scope = self as unknown as {
  postMessage(message: AudioThreadEvent): void;
  onmessage: ((event: MessageEvent<AudioThreadRequest>) => void) | null;
};
const post = (event: AudioThreadEvent) => scope.postMessage(event);

scope.onmessage = (event) => {
  const request = event.data;
  switch (request.type) {
    case "list_devices": {
      try {
        const pa = PortAudio.load(request.library);
        try {
          post({ type: "devices", devices: pa.devices() });
        } finally {
          pa.terminate();
        }
      } catch (error) {
        post({ type: "error", message: (error as Error).message });
      }
      return;
    }
    case "open":
      run(request);
      return;
    default: {
      const unreachable: never = request;
      throw new Error(`unknown request ${JSON.stringify(unreachable)}`);
    }
  }
};

interface Direction {
  readonly stream: Stream;
  readonly ring: SpscRing;
  readonly frames: number;
  readonly buffer: Float32Array<ArrayBuffer>;
}

function open(pa: PortAudio, direction: "input" | "output", config: DirectionConfig): Direction {
  const stream = pa.openStream({
    direction,
    device: config.device,
    sampleRate: config.sampleRate,
    framesPerBuffer: config.framesPerBuffer,
    latencyMs: config.latencyMs,
  });
  return {
    stream,
    ring: new SpscRing(config.ring),
    frames: config.framesPerBuffer,
    buffer: new Float32Array(config.framesPerBuffer),
  };
}

function run(request: Extract<AudioThreadRequest, { type: "open" }>): void {
  const control = new Int32Array(request.control);
  let pa: PortAudio | null = null;
  let capture: Direction | null = null;
  let playback: Direction | null = null;
  let failure: string | null = null;
  try {
    pa = PortAudio.load(request.library);
    if (request.capture) capture = open(pa, "input", request.capture);
    if (request.playback) playback = open(pa, "output", request.playback);
    capture?.stream.start();
    playback?.stream.start();
    if (playback) prime(playback, request.playback!.sampleRate);
    post({
      type: "opened",
      capture: capture
        ? { deviceName: capture.stream.facts.deviceName, latencyMs: capture.stream.latencyMs() }
        : undefined,
      playback: playback
        ? { deviceName: playback.stream.facts.deviceName, latencyMs: playback.stream.latencyMs() }
        : undefined,
    });
    loop(control, capture, playback);
    capture?.stream.stop();
    playback?.stream.stop();
  } catch (error) {
    failure = (error as Error).message;
  }
  // Close everything before the last message: the main thread terminates this Worker when it
  // arrives, and a device that is never closed may never flush its last buffer.
  try {
    capture?.stream.close();
    playback?.stream.close();
    pa?.terminate();
  } catch (error) {
    failure ??= (error as Error).message;
  }
  post(failure === null ? { type: "stopped" } : { type: "error", message: failure });
}

/** The real-time loop. With capture open, its blocking read is the clock and playback writes only
 * what the device takes without blocking; with playback alone, the blocking write is the clock. */
function loop(control: Int32Array, capture: Direction | null, playback: Direction | null): void {
  while (Atomics.load(control, CONTROL.STOP) === 0) {
    if (capture) {
      if (!capture.stream.read(capture.buffer, capture.frames)) {
        Atomics.add(control, CONTROL.CAPTURE_XRUNS, 1);
      }
      const written = capture.ring.write(capture.buffer, 0, capture.frames);
      if (written < capture.frames) capture.ring.countOverrun(capture.frames - written);
    }
    if (playback) {
      let budget = capture ? playback.stream.writeAvailable() : playback.frames;
      while (budget >= playback.frames) {
        fill(playback);
        if (!playback.stream.write(playback.buffer, playback.frames)) {
          Atomics.add(control, CONTROL.PLAYBACK_XRUNS, 1);
        }
        budget -= playback.frames;
      }
    }
  }
}

/** Priming stops here even if the device says it takes more (an unclocked one always does). */
const MAX_PRIME_MS = 250;

/**
 * Fills the device buffer with silence before anyone writes, so the ring is drained at the device's
 * real-time pace from the first sample on rather than at the speed of the initial buffer fill.
 * Bounded by the stream's latency: a device with no clock always has room, and priming it until
 * it is full never ended (the `play` that wrote a 40 GB WAV).
 */
function prime(playback: Direction, sampleRate: number): void {
  playback.buffer.fill(0);
  const latencyMs = Math.min(MAX_PRIME_MS, Math.max(playback.stream.latencyMs(), 1));
  let periods = Math.max(1, Math.ceil(latencyMs * sampleRate / 1000 / playback.frames));
  while (periods-- > 0 && playback.stream.writeAvailable() >= playback.frames) {
    playback.stream.write(playback.buffer, playback.frames);
  }
}

function fill(playback: Direction): void {
  const got = playback.ring.read(playback.buffer, 0, playback.frames);
  if (got === playback.frames) return;
  for (let i = got; i < playback.frames; i++) playback.buffer[i] = 0;
  // Silence between utterances is expected; a gap while a stream is under way is an underrun.
  if (playback.ring.streaming) playback.ring.countUnderrun(playback.frames - got);
}
