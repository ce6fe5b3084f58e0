/**
 * @module
 * Use cases for personas.
 */
import { NobodyError, notFound } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import type { Persona, PersonaInput } from "../domain/persona.ts";
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
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly events: EventBus<DomainEvent>;
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
    this.#checkVoice(input.voiceId);
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
    this.#checkVoice(input.voiceId);
    const persona: Persona = { ...existing, ...input, updatedAt: this.#deps.clock.now() };
    if (!this.#deps.personas.updatePersona(persona)) throw notFound("persona", id);
    this.#deps.events.publish({ type: "persona_updated", persona });
    return persona;
  }

  delete(id: string): void {
    if (!this.#deps.personas.deletePersona(id)) throw notFound("persona", id);
    this.#deps.events.publish({ type: "persona_deleted", personaId: id });
  }

  #checkVoice(voiceId: string | null): void {
    if (voiceId !== null && !this.#deps.voices.getVoice(voiceId)) {
      throw new NobodyError("invalid_request", `"voiceId": voice ${voiceId} does not exist`);
    }
  }
}
