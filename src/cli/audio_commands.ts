/**
 * @module
 * `nobody devices`, `nobody play` and `nobody record`: the local device path from the command line.
 */
import type { Config } from "../config/config.ts";
import { NobodyError } from "../domain/errors.ts";
import { unwrap } from "../domain/result.ts";
import { decodeWavMono, encodeWav16 } from "../audio/wav.ts";
import type { DeviceAudio, DeviceAudioOptions } from "../adapters/audio/device_audio.ts";
import { resolveDevice } from "../adapters/audio/resolve_device.ts";
import type { DeviceInfo } from "../../ffi/portaudio.ts";

/** The device functions, passed in by the composition root. */
export interface AudioDeps {
  listDevices(library: string): Promise<DeviceInfo[]>;
  openDevices(options: DeviceAudioOptions): Promise<DeviceAudio>;
}

/** 10 ms periods: the latency of a sound card's default, and what the audio thread was measured with. */
const PERIOD_MS = 10;

export async function devicesCommand(
  config: Config,
  deps: AudioDeps,
  options: { json: boolean },
): Promise<number> {
  const devices = await deps.listDevices(config.audio.portaudioLibrary);
  if (options.json) {
    console.log(JSON.stringify(devices, null, 2));
    return 0;
  }
  if (devices.length === 0) {
    console.log("no audio devices found");
    return 0;
  }
  const width = Math.max(...devices.map((d) => d.name.length), 4);
  console.log(`  #  ${"name".padEnd(width)}  in  out  rate   api`);
  for (const d of devices) {
    const mark = `${d.isDefaultInput ? "<" : " "}${d.isDefaultOutput ? ">" : " "}`;
    console.log(
      `${String(d.index).padStart(3)}${mark}${d.name.padEnd(width)}  ${
        String(d.maxInputChannels).padStart(2)
      }  ${String(d.maxOutputChannels).padStart(3)}  ${d.defaultSampleRate / 1000}k  ${d.hostApi}`,
    );
  }
  console.log(
    "\n< default input, > default output; choose with --device or audio.input_device/output_device",
  );
  return 0;
}

export interface PlayOptions {
  readonly file: string;
  readonly device?: string;
  readonly signal: AbortSignal;
}

export interface RecordOptions extends PlayOptions {
  readonly seconds: number;
  readonly sampleRate: number;
}

export async function playCommand(
  config: Config,
  deps: AudioDeps,
  options: PlayOptions,
): Promise<number> {
  const file = options.file;
  const wav = unwrap(decodeWavMono(await readInput(file)));
  const devices = await deps.listDevices(config.audio.portaudioLibrary);
  const device = resolveDevice(devices, options.device ?? config.audio.outputDevice, "output");
  const rate = wav.sampleRate;
  const audio = await deps.openDevices({
    library: config.audio.portaudioLibrary,
    playback: { device, sampleRate: rate, framesPerBuffer: Math.round(rate * PERIOD_MS / 1000) },
    signal: options.signal,
  });
  const seconds = (wav.samples.length / rate).toFixed(2);
  console.error(
    `playing ${file} (${seconds} s at ${rate} Hz) on "${audio.stats().playback!.deviceName}"`,
  );
  let interrupted = false;
  try {
    await audio.playback!.write(wav.samples, { signal: options.signal });
    await audio.playback!.drain({ signal: options.signal });
  } catch (error) {
    if (!options.signal.aborted) throw error;
    interrupted = true;
    audio.playback!.flush();
    console.error("stopped");
  } finally {
    const stats = await audio.close();
    console.error(
      `done: ${stats.playback!.underrunSamples} underrun samples, ${
        stats.playback!.deviceXruns
      } device xruns`,
    );
  }
  return interrupted ? 130 : 0; // 128 + SIGINT, as a shell reports an interrupted command
}

export async function recordCommand(
  config: Config,
  deps: AudioDeps,
  options: RecordOptions,
): Promise<number> {
  const file = options.file;
  if (!(options.seconds > 0 && options.seconds <= 3_600)) {
    throw new NobodyError("invalid_request", "--seconds must be a number from 0 to 3600");
  }
  if (
    !(Number.isInteger(options.sampleRate) && options.sampleRate >= 8_000 &&
      options.sampleRate <= 192_000)
  ) {
    throw new NobodyError("invalid_request", "--rate must be an integer from 8000 to 192000");
  }
  const devices = await deps.listDevices(config.audio.portaudioLibrary);
  const device = resolveDevice(devices, options.device ?? config.audio.inputDevice, "input");
  const rate = options.sampleRate;
  const period = Math.round(rate * PERIOD_MS / 1000);
  const audio = await deps.openDevices({
    library: config.audio.portaudioLibrary,
    capture: { device, sampleRate: rate, framesPerBuffer: period },
  });
  const total = Math.round(options.seconds * rate);
  const samples = new Float32Array(total);
  let at = 0;
  console.error(
    `recording ${options.seconds} s at ${rate} Hz from "${
      audio.stats().capture!.deviceName
    }" (Ctrl-C stops)`,
  );
  const done = new AbortController();
  const signal = AbortSignal.any([options.signal, done.signal]);
  try {
    for await (const frame of audio.capture!.frames({ signal })) {
      const take = Math.min(frame.length, total - at);
      samples.set(frame.subarray(0, take), at);
      at += take;
      if (at >= total) done.abort();
    }
  } finally {
    const stats = await audio.close();
    await Deno.writeFile(file, encodeWav16(samples.subarray(0, at), rate));
    let peak = 0;
    for (let i = 0; i < at; i++) peak = Math.max(peak, Math.abs(samples[i]));
    const dbfs = peak > 0 ? (20 * Math.log10(peak)).toFixed(1) : "-inf";
    console.error(
      `wrote ${file}: ${(at / rate).toFixed(2)} s, peak ${dbfs} dBFS, ${
        stats.capture!.overrunSamples
      } overrun samples`,
    );
  }
  return 0;
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new NobodyError("not_found", `${file} does not exist`);
    }
    throw error;
  }
}
