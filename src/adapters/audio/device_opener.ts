/**
 * @module
 * The device session's audio: the local microphone and speaker, opened when a session needs them.
 */
import type { Config } from "../../config/config.ts";
import type { DeviceLease } from "../../ports/audio_io.ts";
import { DeviceAudio } from "./device_audio.ts";
import { listDevices } from "./list_devices.ts";
import { DeviceSink } from "./device_sink.ts";
import { resolveDevice } from "./resolve_device.ts";

/** The local microphone and speaker at 48 kHz with 10 ms periods, opened on demand. */
export function deviceOpener(c: Config["audio"]): () => Promise<DeviceLease> {
  return async () => {
    const devices = await listDevices(c.portaudioLibrary);
    const period = { sampleRate: 48_000, framesPerBuffer: 480 };
    const audio = await DeviceAudio.open({
      library: c.portaudioLibrary,
      capture: { ...period, device: resolveDevice(devices, c.inputDevice, "input") },
      playback: { ...period, device: resolveDevice(devices, c.outputDevice, "output") },
    });
    const latency = audio.stats().playback!.latencyMs;
    return {
      io: {
        capture: audio.capture!,
        sink: new DeviceSink(audio.playback!, { deviceLatencyMs: latency }),
      },
      close: async () => void await audio.close(),
    };
  };
}
