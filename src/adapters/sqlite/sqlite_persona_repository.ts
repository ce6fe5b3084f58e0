/**
 * @module
 * {@linkcode PersonaRepository} on SQLite.
 */
import type { PersonaRepository } from "../../ports/persona_repository.ts";
import type { LlmProviderName, Persona } from "../../domain/persona.ts";
import { type Database, mapConstraint, transaction } from "./database.ts";

interface PersonaRow {
  id: string;
  name: string;
  system_prompt: string;
  llm_provider: LlmProviderName;
  llm_model: string;
  llm_base_url: string | null;
  llm_temperature: number | null;
  llm_think: number | null;
  voice_id: string | null;
  created_at: number;
  updated_at: number;
}

const toPersona = (row: PersonaRow): Persona => ({
  id: row.id,
  name: row.name,
  systemPrompt: row.system_prompt,
  llm: {
    provider: row.llm_provider,
    model: row.llm_model,
    baseUrl: row.llm_base_url,
    temperature: row.llm_temperature,
    think: row.llm_think === null ? null : row.llm_think === 1,
  },
  voiceId: row.voice_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class SqlitePersonaRepository implements PersonaRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  listPersonas(): Persona[] {
    const rows = this.#db.prepare("SELECT * FROM personas ORDER BY created_at, rowid").all();
    return (rows as unknown as PersonaRow[]).map(toPersona);
  }

  getPersona(id: string): Persona | null {
    const row = this.#db.prepare("SELECT * FROM personas WHERE id = ?").get(id);
    return row ? toPersona(row as unknown as PersonaRow) : null;
  }

  insertPersona(p: Persona): void {
    this.#write(p, () =>
      this.#db.prepare(
        `INSERT INTO personas (id, name, system_prompt, llm_provider, llm_model, llm_base_url,
           llm_temperature, llm_think, voice_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        p.id,
        p.name,
        p.systemPrompt,
        p.llm.provider,
        p.llm.model,
        p.llm.baseUrl,
        p.llm.temperature,
        think(p),
        p.voiceId,
        p.createdAt,
        p.updatedAt,
      ).changes > 0);
  }

  updatePersona(p: Persona): boolean {
    return this.#write(p, () =>
      this.#db.prepare(
        `UPDATE personas SET name = ?, system_prompt = ?, llm_provider = ?, llm_model = ?,
           llm_base_url = ?, llm_temperature = ?, llm_think = ?, voice_id = ?, updated_at = ?
         WHERE id = ?`,
      ).run(
        p.name,
        p.systemPrompt,
        p.llm.provider,
        p.llm.model,
        p.llm.baseUrl,
        p.llm.temperature,
        think(p),
        p.voiceId,
        p.updatedAt,
        p.id,
      ).changes > 0);
  }

  deletePersona(id: string): boolean {
    return transaction(
      this.#db,
      () => this.#db.prepare("DELETE FROM personas WHERE id = ?").run(id).changes > 0,
    );
  }

  #write(p: Persona, statement: () => boolean): boolean {
    try {
      return transaction(this.#db, statement);
    } catch (error) {
      mapConstraint(error, {
        unique: `a persona named "${p.name}" already exists`,
        foreignKey: `voice ${p.voiceId} does not exist`,
      });
    }
  }
}

const think = (p: Persona) => p.llm.think === null ? null : p.llm.think ? 1 : 0;
