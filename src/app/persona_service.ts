/**
 * @module
 * Use cases for personas.
 */
import { NobodyError, notFound } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import type { Persona, PersonaInput } from "../domain/persona.ts";
import type { ChatMessage } from "../domain/conversation.ts";
import type { HistoryRepository } from "../ports/history_repository.ts";
import type { PersonaRepository } from "../ports/persona_repository.ts";
import type { Clock, IdSource } from "../ports/runtime.ts";
import type { VoiceRepository } from "../ports/voice_repository.ts";
import type { EventBus } from "./event_bus.ts";

export const DEFAULT_PERSONA: PersonaInput = {
  name: "Assistant",
  systemPrompt: "You are a helpful assistant. Answer briefly: your words are spoken aloud.",
  llm: { provider: "ollama", model: "llama3.2:3b", baseUrl: null, temperature: null, think: false },
  voiceId: null,
};

export interface PersonaServiceDeps {
  readonly personas: PersonaRepository;
  readonly voices: VoiceRepository;
  readonly history: HistoryRepository;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly events: EventBus<DomainEvent>;
  /** A voice being trained again still speaks with its previous training. */
  readonly readyBeforeTraining?: (voiceId: string) => boolean;
}

export class PersonaService {
  readonly #deps: PersonaServiceDeps;

  constructor(deps: PersonaServiceDeps) {
    this.#deps = deps;
  }

  list(): Persona[] {
    return this.#deps.personas.listPersonas();
  }

  /**
   * The persona a session talks to when none is named: the oldest one, or a plain assistant on
   * the local Ollama, made the first time it is needed and editable like any other.
   */
  defaultPersona(): Persona {
    const oldest = this.#deps.personas.listPersonas()[0];
    if (oldest) return oldest;
    try {
      return this.create(DEFAULT_PERSONA);
    } catch (error) {
      // Two sessions made at once: the other one created it.
      const made = this.#deps.personas.listPersonas()[0];
      if (made) return made;
      throw error;
    }
  }

  get(id: string): Persona {
    const persona = this.#deps.personas.getPersona(id);
    if (!persona) throw notFound("persona", id);
    return persona;
  }

  create(input: PersonaInput): Persona {
    this.#checkVoice(input.voiceId, null);
    const now = this.#deps.clock.now();
    const persona: Persona = {
      id: this.#deps.ids.next("persona"),
      ...input,
      createdAt: now,
      updatedAt: now,
    };
    this.#deps.personas.insertPersona(persona);
    this.#deps.events.publish({ type: "persona_created", persona });
    return persona;
  }

  update(id: string, input: PersonaInput): Persona {
    const existing = this.get(id);
    this.#checkVoice(input.voiceId, existing.voiceId);
    const persona: Persona = { ...existing, ...input, updatedAt: this.#deps.clock.now() };
    if (!this.#deps.personas.updatePersona(persona)) throw notFound("persona", id);
    this.#deps.events.publish({ type: "persona_updated", persona });
    return persona;
  }

  /** The persona's newest `limit` messages, oldest first, each with its conversation. */
  history(id: string, limit: number): ChatMessage[] {
    this.get(id);
    return [...this.#deps.history.recent(id, limit).messages];
  }

  /** Forgets what was said: the next turn starts without context. Returns how many went. */
  clearHistory(id: string): number {
    this.get(id);
    const deleted = this.#deps.history.clear(id);
    this.#deps.events.publish({ type: "history_cleared", personaId: id });
    return deleted;
  }

  delete(id: string): void {
    if (!this.#deps.personas.deletePersona(id)) throw notFound("persona", id);
    this.#deps.events.publish({ type: "persona_deleted", personaId: id });
  }

  /**
   * A newly chosen voice must be able to speak now: otherwise the persona is saved and only its
   * first spoken turn says the voice is a draft. A voice it already had may be retraining.
   */
  #checkVoice(voiceId: string | null, previous: string | null): void {
    if (voiceId === null) return;
    const voice = this.#deps.voices.getVoice(voiceId);
    if (!voice) {
      throw new NobodyError("invalid_request", `"voiceId": voice ${voiceId} does not exist`);
    }
    if (voiceId === previous || voice.status === "ready") return;
    if (voice.status === "training" && this.#deps.readyBeforeTraining?.(voiceId)) return;
    const why = voice.status === "training"
      ? "is still training for the first time: choose it when training finishes"
      : voice.status === "failed"
      ? "failed its last training: train it again on its Voices page"
      : "is not trained yet: add 10 s of samples and train it on its Voices page";
    throw new NobodyError(
      "invalid_request",
      `"voiceId": voice "${voice.name}" ${why}, or keep the default voice`,
    );
  }
}
