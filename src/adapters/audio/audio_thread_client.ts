/**
 * @module
 * Talking to the audio Worker thread (ffi/audio_thread.ts), which owns PortAudio: one request
 * out, the next event back.
 */
import type { AudioThreadEvent, AudioThreadRequest } from "../../../ffi/audio_messages.ts";

export const THREAD_URL = new URL("../../../ffi/audio_thread.ts", import.meta.url);

export function nextEvent(worker: Worker, signal?: AbortSignal): Promise<AudioThreadEvent> {
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

export function send(worker: Worker, request: AudioThreadRequest): void {
  worker.postMessage(request);
}
