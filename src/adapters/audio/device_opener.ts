/**
 * @module
 * The device session's audio: the local microphone and speaker, opened when a session needs them.
 */
import type { Config } from "../../config/config.ts";
import type { DeviceLease } from "../../ports/audio_io.ts";
import { DeviceAudio } from "./device_audio.ts";
import { listDevices } from "./list_devices.ts";
import { DeviceSink } from "./device_sink.ts";
import { OnDemandSpeaker } from "./on_demand_speaker.ts";
import { resolveDevice } from "./resolve_device.ts";

/**
 * The local microphone at 48 kHz with 10 ms periods, open for the session (its pre-roll catches
 * the first word of a late key press), and the speaker, open only while a reply plays.
 */
export function deviceOpener(c: Config["audio"]): () => Promise<DeviceLease> {
  return async () => {
    const devices = await listDevices(c.portaudioLibrary);
    const period = { sampleRate: 48_000, framesPerBuffer: 480 };
    const output = resolveDevice(devices, c.outputDevice, "output");
    const microphone = await DeviceAudio.open({
      library: c.portaudioLibrary,
      capture: { ...period, device: resolveDevice(devices, c.inputDevice, "input") },
    });
    const speaker = new OnDemandSpeaker(async () => {
      const audio = await DeviceAudio.open({
        library: c.portaudioLibrary,
        playback: { ...period, device: output },
      });
      const latency = audio.stats().playback!.latencyMs;
      return {
        sink: new DeviceSink(audio.playback!, { deviceLatencyMs: latency }),
        close: async () => void await audio.close(),
      };
    }, { sampleRate: period.sampleRate });
    return {
      io: { capture: microphone.capture!, sink: speaker },
      close: async () => {
        await speaker.close();
        await microphone.close();
      },
    };
  };
}
