/**
 * @module
 * The audio devices PortAudio sees, asked from a short-lived audio thread.
 */
import { NobodyError } from "../../domain/errors.ts";
import type { DeviceInfo } from "../../../ffi/portaudio.ts";
import { nextEvent, send, THREAD_URL } from "./audio_thread_client.ts";

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
