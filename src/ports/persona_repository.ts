/**
 * @module
 * Storage of personas. A duplicate name throws `conflict`; a voice id that does not exist throws
 * `invalid_request`. Deleting a voice clears it from every persona that used it.
 */
import type { Persona } from "../domain/persona.ts";

export interface PersonaRepository {
  listPersonas(): Persona[];
  getPersona(id: string): Persona | null;
  insertPersona(persona: Persona): void;
  /** Replaces every field but id and createdAt; returns false if absent. */
  updatePersona(persona: Persona): boolean;
  deletePersona(id: string): boolean;
}
