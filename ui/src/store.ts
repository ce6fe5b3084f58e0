/**
 * @module
 * The dashboard's shared state as signals, kept current by the service's /events stream: a change
 * made by another client, a script or a training job shows up without a reload.
 */
import { signal } from "@preact/signals";
import { getJson, message } from "./api.ts";
import type { Persona, ServerMessage, Voice } from "./types.ts";

export const voices = signal<Voice[]>([]);
export const personas = signal<Persona[]>([]);
/** Live training progress by voice id. */
export const training = signal<Record<string, { stage: string; percent: number; message: string }>>(
  {},
);
/** Bumped on every sample or voice event, so an open voice page reloads its samples. */
export const voiceRevision = signal(0);
export const connected = signal(false);
export const notice = signal<{ kind: "error" | "info"; text: string } | null>(null);

export function report(error: unknown): void {
  notice.value = { kind: "error", text: message(error) };
}

export async function loadVoices(): Promise<void> {
  voices.value = (await getJson<{ voices: Voice[] }>("/voices")).voices;
}

export async function loadPersonas(): Promise<void> {
  personas.value = (await getJson<{ personas: Persona[] }>("/personas")).personas;
}

const VOICE_EVENTS = ["voice_created", "voice_deleted", "sample_added", "sample_deleted"];
const PERSONA_EVENTS = ["persona_created", "persona_updated", "persona_deleted"];

/** Follows /events; EventSource reconnects by itself after a restart of the service. */
export function followEvents(): () => void {
  const source = new EventSource("/events");
  source.onopen = () => {
    connected.value = true;
    // Anything may have changed while the stream was down.
    Promise.all([loadVoices(), loadPersonas()]).catch(report);
  };
  source.onerror = () => connected.value = false;
  for (const type of VOICE_EVENTS) {
    source.addEventListener(type, () => {
      voiceRevision.value++;
      loadVoices().catch(report);
    });
  }
  for (const type of PERSONA_EVENTS) {
    source.addEventListener(type, () => loadPersonas().catch(report));
  }
  source.addEventListener("training_progress", (event) => {
    const data = JSON.parse((event as MessageEvent).data) as Extract<
      ServerMessage,
      { type: "training_progress" }
    >;
    training.value = {
      ...training.value,
      [data.voice_id]: { stage: data.stage, percent: data.percent, message: data.message },
    };
  });
  source.addEventListener("training_finished", (event) => {
    const data = JSON.parse((event as MessageEvent).data) as Extract<
      ServerMessage,
      { type: "training_finished" }
    >;
    const { [data.voice_id]: _done, ...rest } = training.value;
    training.value = rest;
    notice.value = data.status === "succeeded"
      ? { kind: "info", text: "Training finished: the voice is ready." }
      : { kind: "error", text: `Training ${data.status}: ${data.message}` };
    voiceRevision.value++;
    loadVoices().catch(report);
  });
  return () => source.close();
}
