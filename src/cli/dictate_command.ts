/**
 * @module
 * `nobody dictate`: speak into the microphone and get the text on stdout, to pipe anywhere. The
 * service records through its device session in dictation mode until Enter or a pause
 * (`--silence`), and the transcript (tidied with `--cleanup`) is printed.
 */
import { NobodyError } from "../domain/errors.ts";
import type { ApiClient } from "./api_client.ts";
import { sseEvents } from "./sse_lines.ts";

export interface DictateOptions {
  /** Silence that ends the recording, in ms; 0 leaves it to Enter. */
  readonly silenceMs: number;
  readonly cleanup: boolean;
  readonly signal: AbortSignal;
  /** Resolves when the user presses Enter (stdin gives a line or ends). */
  readonly enter: () => Promise<void>;
  print(text: string): void;
  note(text: string): void;
}

export async function dictateCommand(api: ApiClient, options: DictateOptions): Promise<number> {
  if (!(options.silenceMs === 0 || (options.silenceMs >= 200 && options.silenceMs <= 10_000))) {
    throw new NobodyError("invalid_request", "--silence must be 0 or from 200 to 10000 ms");
  }
  const session = await api.json<{ id: string }>("/sessions", "POST", {
    audio: "device",
    mode: "dictation",
    cleanup: options.cleanup,
    ...(options.silenceMs > 0 ? { end_of_speech_ms: options.silenceMs } : {}),
  });
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  try {
    const events = await api.request(`/events?session=${session.id}`, { signal });
    await api.json(`/sessions/${session.id}/start_recording`, "POST", {});
    options.note(
      options.silenceMs > 0
        ? `listening: speak, then press Enter or pause for ${options.silenceMs / 1000} s`
        : "listening: speak, then press Enter",
    );
    options.enter().then(
      () => api.json(`/sessions/${session.id}/stop_recording`, "POST", {}).catch(() => {}),
      () => {},
    );
    for await (const event of sseEvents(events.body!, signal)) {
      if (event.type === "dictation") {
        options.print(String(event.text));
        return 0;
      }
      if (event.type === "no_speech") {
        throw new NobodyError("invalid_request", "no speech was heard; check the microphone");
      }
      if (event.type === "session_error") {
        throw new NobodyError("unavailable", String(event.message));
      }
    }
    if (options.signal.aborted) return 130;
    throw new NobodyError("unavailable", "the service closed the event stream");
  } catch (error) {
    if (options.signal.aborted) return 130; // Ctrl-C: nothing to print
    throw error;
  } finally {
    stop.abort();
    await api.json(`/sessions/${session.id}`, "DELETE").catch(() => {});
  }
}
