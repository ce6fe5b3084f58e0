import assert from "node:assert/strict";
import { resolveDevice } from "./resolve_device.ts";
import type { DeviceInfo } from "../../../ffi/portaudio.ts";

const device = (index: number, name: string, inputs: number, outputs: number): DeviceInfo => ({
  index,
  name,
  hostApi: "ALSA",
  maxInputChannels: inputs,
  maxOutputChannels: outputs,
  defaultSampleRate: 48_000,
  defaultLowInputLatencyMs: 10,
  defaultLowOutputLatencyMs: 10,
  isDefaultInput: false,
  isDefaultOutput: false,
});

const devices = [
  device(0, "MacBook Pro Microphone", 1, 0),
  device(1, "MacBook Pro Speakers", 0, 2),
  device(2, "USB Headset", 1, 2),
];

Deno.test("resolveDevice() takes the default, an index, an exact or a unique partial name", () => {
  assert.equal(resolveDevice(devices, "", "input"), undefined);
  assert.equal(resolveDevice(devices, "2", "output"), 2);
  assert.equal(resolveDevice(devices, "macbook pro speakers", "output"), 1);
  assert.equal(resolveDevice(devices, "headset", "input"), 2);
  assert.equal(resolveDevice(devices, "MacBook", "input"), 0, "only one MacBook device has inputs");
});

Deno.test("resolveDevice() explains what it cannot match", () => {
  assert.throws(() => resolveDevice(devices, "1", "input"), {
    code: "invalid_request",
    message:
      /"1" matches no input device \(input devices: 0: MacBook Pro Microphone, 2: USB Headset\)/,
  });
  assert.throws(() => resolveDevice(devices, "s", "output"), /"s" matches several output device/);
});
