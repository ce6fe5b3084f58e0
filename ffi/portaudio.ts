/**
 * @module
 * PortAudio through Deno FFI: library loading, device enumeration and blocking streams.
 * Struct layouts are those of LP64 (macOS and Linux, 64-bit), where `unsigned long` is 8 bytes.
 */
import { withQuietStderr } from "./quiet_stderr.ts";

const SYMBOLS = {
  Pa_GetVersion: { parameters: [], result: "i32" },
  Pa_GetVersionText: { parameters: [], result: "pointer" },
  Pa_GetErrorText: { parameters: ["i32"], result: "pointer" },
  Pa_Initialize: { parameters: [], result: "i32" },
  Pa_Terminate: { parameters: [], result: "i32" },
  Pa_GetHostApiCount: { parameters: [], result: "i32" },
  Pa_GetHostApiInfo: { parameters: ["i32"], result: "pointer" },
  Pa_GetDeviceCount: { parameters: [], result: "i32" },
  Pa_GetDefaultInputDevice: { parameters: [], result: "i32" },
  Pa_GetDefaultOutputDevice: { parameters: [], result: "i32" },
  Pa_GetDeviceInfo: { parameters: ["i32"], result: "pointer" },
  // stream**, input params*, output params*, sampleRate, framesPerBuffer, flags, callback, userData
  Pa_OpenStream: {
    parameters: ["buffer", "buffer", "buffer", "f64", "u64", "u64", "pointer", "pointer"],
    result: "i32",
  },
  Pa_StartStream: { parameters: ["pointer"], result: "i32" },
  Pa_StopStream: { parameters: ["pointer"], result: "i32" },
  Pa_AbortStream: { parameters: ["pointer"], result: "i32" },
  Pa_CloseStream: { parameters: ["pointer"], result: "i32" },
  Pa_GetStreamInfo: { parameters: ["pointer"], result: "pointer" },
  Pa_ReadStream: { parameters: ["pointer", "buffer", "u64"], result: "i32" },
  Pa_WriteStream: { parameters: ["pointer", "buffer", "u64"], result: "i32" },
  Pa_GetStreamReadAvailable: { parameters: ["pointer"], result: "i64" },
  Pa_GetStreamWriteAvailable: { parameters: ["pointer"], result: "i64" },
} as const;

type Library = Deno.DynamicLibrary<typeof SYMBOLS>;

export const PA_FLOAT32 = 0x1n;
export const PA_CLIP_OFF = 0x1n;
export const PA_NO_DEVICE = -1;
export const PA_INPUT_OVERFLOWED = -9981;
export const PA_OUTPUT_UNDERFLOWED = -9980;

export class PortAudioError extends Error {
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.name = "PortAudioError";
    this.code = code;
  }
}

export function defaultLibraryPath(os: typeof Deno.build.os = Deno.build.os): string {
  return os === "darwin" ? "libportaudio.dylib" : "libportaudio.so.2";
}

export const INSTALL_HINT = "install portaudio: brew install portaudio / apt install libportaudio2";

export interface DeviceInfo {
  readonly index: number;
  readonly name: string;
  readonly hostApi: string;
  readonly maxInputChannels: number;
  readonly maxOutputChannels: number;
  readonly defaultSampleRate: number;
  readonly defaultLowInputLatencyMs: number;
  readonly defaultLowOutputLatencyMs: number;
  readonly isDefaultInput: boolean;
  readonly isDefaultOutput: boolean;
}

export interface StreamOptions {
  readonly direction: "input" | "output";
  /** A device index; the default device of that direction when omitted. */
  readonly device?: number;
  readonly sampleRate: number;
  readonly channels?: number;
  readonly framesPerBuffer: number;
  /** Suggested device latency; the device's low-latency default when omitted. */
  readonly latencyMs?: number;
}

/** A loaded and initialized PortAudio. Not thread-safe: use it from one thread. */
export class PortAudio {
  readonly #lib: Library;
  #open = true;

  private constructor(lib: Library) {
    this.#lib = lib;
  }

  /** Loads the library and initializes PortAudio; throws with an install hint if it is missing. */
  static load(path: string = defaultLibraryPath()): PortAudio {
    let lib: Library;
    try {
      lib = Deno.dlopen(path, SYMBOLS);
    } catch (error) {
      throw new PortAudioError(
        `cannot load ${path} (${(error as Error).message}); ${INSTALL_HINT}`,
        0,
      );
    }
    const pa = new PortAudio(lib);
    // Probing the host APIs (JACK, ALSA) prints to fd 2 whether or not they are there.
    const code = withQuietStderr(() => lib.symbols.Pa_Initialize());
    if (code !== 0) {
      const message = pa.errorText(code);
      lib.close();
      throw new PortAudioError(`Pa_Initialize failed: ${message}`, code);
    }
    return pa;
  }

  get version(): string {
    return cString(this.#lib.symbols.Pa_GetVersionText());
  }

  errorText(code: number): string {
    return cString(this.#lib.symbols.Pa_GetErrorText(code));
  }

  check(code: number, what: string): void {
    if (code < 0) throw new PortAudioError(`${what}: ${this.errorText(code)} (${code})`, code);
  }

  devices(): DeviceInfo[] {
    const s = this.#lib.symbols;
    const count = s.Pa_GetDeviceCount();
    this.check(count, "Pa_GetDeviceCount");
    const defaultIn = s.Pa_GetDefaultInputDevice();
    const defaultOut = s.Pa_GetDefaultOutputDevice();
    const devices: DeviceInfo[] = [];
    for (let index = 0; index < count; index++) {
      const pointer = s.Pa_GetDeviceInfo(index);
      if (pointer === null) continue;
      // PaDeviceInfo: int structVersion; const char *name; int hostApi; int maxIn; int maxOut;
      // double lowIn, lowOut, highIn, highOut, defaultSampleRate
      const view = new Deno.UnsafePointerView(pointer);
      const hostIndex = view.getInt32(16);
      devices.push({
        index,
        name: cString(view.getPointer(8)),
        hostApi: this.#hostApiName(hostIndex),
        maxInputChannels: view.getInt32(20),
        maxOutputChannels: view.getInt32(24),
        defaultLowInputLatencyMs: view.getFloat64(32) * 1000,
        defaultLowOutputLatencyMs: view.getFloat64(40) * 1000,
        defaultSampleRate: view.getFloat64(64),
        isDefaultInput: index === defaultIn,
        isDefaultOutput: index === defaultOut,
      });
    }
    return devices;
  }

  #hostApiName(index: number): string {
    const pointer = this.#lib.symbols.Pa_GetHostApiInfo(index);
    // PaHostApiInfo: int structVersion; int type; const char *name; ...
    return pointer === null ? "?" : cString(new Deno.UnsafePointerView(pointer).getPointer(8));
  }

  /** Opens a blocking (callback-less) mono-or-more float32 stream. */
  openStream(options: StreamOptions): Stream {
    const s = this.#lib.symbols;
    const device = options.device ??
      (options.direction === "input"
        ? s.Pa_GetDefaultInputDevice()
        : s.Pa_GetDefaultOutputDevice());
    if (device === PA_NO_DEVICE) {
      throw new PortAudioError(
        `there is no default ${options.direction} device; \`nobody devices\` lists what PortAudio sees`,
        PA_NO_DEVICE,
      );
    }
    const info = this.devices().find((d) => d.index === device);
    if (!info) throw new PortAudioError(`there is no audio device ${device}`, PA_NO_DEVICE);
    const channels = options.channels ?? 1;
    const latencyMs = options.latencyMs ??
      (options.direction === "input"
        ? info.defaultLowInputLatencyMs
        : info.defaultLowOutputLatencyMs);
    // PaStreamParameters: int device; int channelCount; unsigned long sampleFormat; double latency; void *hostApiSpecific
    const params = new Uint8Array(32);
    const view = new DataView(params.buffer);
    view.setInt32(0, device, true);
    view.setInt32(4, channels, true);
    view.setBigUint64(8, PA_FLOAT32, true);
    view.setFloat64(16, latencyMs / 1000, true);
    const handle = new BigUint64Array(1);
    const code = s.Pa_OpenStream(
      handle,
      options.direction === "input" ? params : null,
      options.direction === "output" ? params : null,
      options.sampleRate,
      BigInt(options.framesPerBuffer),
      PA_CLIP_OFF,
      null,
      null,
    );
    this.check(
      code,
      `opening ${options.direction} device "${info.name}" at ${options.sampleRate} Hz`,
    );
    const pointer = Deno.UnsafePointer.create(handle[0]);
    if (pointer === null) throw new PortAudioError("Pa_OpenStream returned no stream", -1);
    return new Stream(this, this.#lib, pointer, {
      ...options,
      device,
      channels,
      deviceName: info.name,
    });
  }

  terminate(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#lib.symbols.Pa_Terminate();
    this.#lib.close();
  }
}

export interface StreamFacts {
  readonly direction: "input" | "output";
  readonly device: number;
  readonly deviceName: string;
  readonly channels: number;
  readonly sampleRate: number;
  readonly framesPerBuffer: number;
}

/** A blocking stream. `read` and `write` block the calling thread: call them in a Worker. */
export class Stream {
  readonly #pa: PortAudio;
  readonly #lib: Library;
  readonly #pointer: Deno.PointerObject;
  readonly facts: StreamFacts;
  #closed = false;

  constructor(pa: PortAudio, lib: Library, pointer: Deno.PointerObject, facts: StreamFacts) {
    this.#pa = pa;
    this.#lib = lib;
    this.#pointer = pointer;
    this.facts = facts;
  }

  start(): void {
    this.#pa.check(this.#lib.symbols.Pa_StartStream(this.#pointer), "Pa_StartStream");
  }

  stop(): void {
    this.#pa.check(this.#lib.symbols.Pa_StopStream(this.#pointer), "Pa_StopStream");
  }

  abort(): void {
    this.#pa.check(this.#lib.symbols.Pa_AbortStream(this.#pointer), "Pa_AbortStream");
  }

  /** Fills `into` (frames x channels floats); returns false if input overflowed before this read. */
  read(into: Float32Array<ArrayBuffer>, frames: number): boolean {
    const code = this.#lib.symbols.Pa_ReadStream(this.#pointer, into, BigInt(frames));
    if (code === PA_INPUT_OVERFLOWED) return false;
    this.#pa.check(code, "Pa_ReadStream");
    return true;
  }

  /** Writes `frames` frames from `from`; returns false if output underflowed before this write. */
  write(from: Float32Array<ArrayBuffer>, frames: number): boolean {
    const code = this.#lib.symbols.Pa_WriteStream(this.#pointer, from, BigInt(frames));
    if (code === PA_OUTPUT_UNDERFLOWED) return false;
    this.#pa.check(code, "Pa_WriteStream");
    return true;
  }

  readAvailable(): number {
    return Number(this.#lib.symbols.Pa_GetStreamReadAvailable(this.#pointer));
  }

  writeAvailable(): number {
    return Number(this.#lib.symbols.Pa_GetStreamWriteAvailable(this.#pointer));
  }

  /** The latency PortAudio reports for this stream, in ms. */
  latencyMs(): number {
    const info = this.#lib.symbols.Pa_GetStreamInfo(this.#pointer);
    if (info === null) return NaN;
    // PaStreamInfo: int structVersion; double inputLatency; double outputLatency; double sampleRate
    const view = new Deno.UnsafePointerView(info);
    return (this.facts.direction === "input" ? view.getFloat64(8) : view.getFloat64(16)) * 1000;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pa.check(this.#lib.symbols.Pa_CloseStream(this.#pointer), "Pa_CloseStream");
  }
}

function cString(pointer: Deno.PointerValue): string {
  return pointer === null ? "" : Deno.UnsafePointerView.getCString(pointer);
}
