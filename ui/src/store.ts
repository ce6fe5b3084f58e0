/**
 * @module
 * The dashboard's shared state as signals, kept current by the service's /events stream: a change
 * made by another client, a script or a training job shows up without a reload.
 */
import { signal } from "@preact/signals";
import { getJson, message, whenSignedOut } from "./api.ts";
import type { Persona, ServerMessage, Voice } from "./types.ts";

export const voices = signal<Voice[]>([]);
export const personas = signal<Persona[]>([]);
/** Live training progress by voice id. */
export const training = signal<Record<string, { stage: string; percent: number; message: string }>>(
  {},
);
/** Bumped on every sample or voice event, so an open voice page reloads its samples. */
export const voiceRevision = signal(0);
/** Bumped when a persona's history changes elsewhere (cleared by another tab or a script). */
export const historyRevision = signal(0);
export const connected = signal(false);
/** null until the first answer says; false shows the sign-in screen. */
export const signedIn = signal<boolean | null>(null);
export const notice = signal<{ kind: "error" | "info"; text: string } | null>(null);

whenSignedOut(() => signedIn.value = false);

export function report(error: unknown): void {
  notice.value = { kind: "error", text: message(error) };
}

export function inform(text: string): void {
  notice.value = { kind: "info", text };
}

export async function loadVoices(): Promise<void> {
  voices.value = (await getJson<{ voices: Voice[] }>("/voices")).voices;
}

export async function loadPersonas(): Promise<void> {
  personas.value = (await getJson<{ personas: Persona[] }>("/personas")).personas;
}

/** Asks the service whether this browser's cookie still signs it in. */
export async function checkSignIn(): Promise<void> {
  try {
    await Promise.all([loadVoices(), loadPersonas()]);
    signedIn.value = true;
  } catch (error) {
    if (signedIn.value !== false) report(error); // a 401 already showed the sign-in screen
  }
}

const VOICE_EVENTS = [
  "voice_created",
  "voice_updated",
  "voice_deleted",
  "sample_added",
  "sample_deleted",
];
const PERSONA_EVENTS = ["persona_created", "persona_updated", "persona_deleted"];

type Wire<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;
const data = <T extends ServerMessage["type"]>(event: Event) =>
  JSON.parse((event as MessageEvent).data) as Wire<T>;

const FINISHED: Record<string, (message: string) => string> = {
  cancelled: () => "Training cancelled.",
  failed: (why) => `Training failed: ${why}`,
};

/**
 * Follows /events; EventSource reconnects by itself after a restart of the service. Session
 * errors come as `session_error`: an `error` event is EventSource's own word for a lost stream.
 */
export function followEvents(): () => void {
  const source = new EventSource("/events");
  source.onopen = () => {
    connected.value = true;
    // Anything may have changed while the stream was down.
    Promise.all([loadVoices(), loadPersonas()]).catch(report);
  };
  source.onerror = () => {
    connected.value = false;
    // A stream refused for a lost sign-in never opens again: ask, and show the sign-in screen.
    if (source.readyState === EventSource.CLOSED) checkSignIn();
  };
  for (const type of VOICE_EVENTS) {
    source.addEventListener(type, () => {
      voiceRevision.value++;
      loadVoices().catch(report);
    });
  }
  for (const type of PERSONA_EVENTS) {
    source.addEventListener(type, () => loadPersonas().catch(report));
  }
  source.addEventListener("history_cleared", () => historyRevision.value++);
  source.addEventListener("training_progress", (event) => {
    const d = data<"training_progress">(event);
    training.value = {
      ...training.value,
      [d.voice_id]: { stage: d.stage, percent: d.percent, message: d.message },
    };
  });
  source.addEventListener("training_finished", (event) => {
    const d = data<"training_finished">(event);
    const { [d.voice_id]: _done, ...rest } = training.value;
    training.value = rest;
    notice.value = d.status === "succeeded"
      ? { kind: "info", text: "Training finished: the voice is ready." }
      : { kind: "error", text: (FINISHED[d.status] ?? FINISHED.failed)(d.message) };
    voiceRevision.value++;
    loadVoices().catch(report);
  });
  return () => source.close();
}
