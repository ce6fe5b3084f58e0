/**
 * @module
 * The live sessions. A device session owns the local microphone and speaker, so there is at most
 * one; the devices are opened with it and closed with it (the OS microphone indicator goes off).
 */
import { NobodyError, notFound } from "../domain/errors.ts";
import type { SessionInput } from "../domain/session_input.ts";
import type { IdSource } from "../ports/runtime.ts";
import { type DeviceIo, Session, type SessionDeps, type SessionSummary } from "./session.ts";

export interface DeviceLease {
  readonly io: DeviceIo;
  close(): Promise<void>;
}

export interface SessionManagerDeps {
  readonly session: SessionDeps;
  readonly ids: IdSource;
  /** Opens the local devices; rejects with `unavailable` when there are none. */
  readonly openDevices: () => Promise<DeviceLease>;
}

export class SessionManager {
  readonly #deps: SessionManagerDeps;
  readonly #sessions = new Map<string, Session>();
  #device: { sessionId: string; lease: DeviceLease } | null = null;
  #opening = false;

  constructor(deps: SessionManagerDeps) {
    this.#deps = deps;
  }

  async create(input: SessionInput): Promise<Session> {
    if (input.personaId && !this.#deps.session.persona(input.personaId)) {
      throw new NobodyError(
        "invalid_request",
        `"persona_id": persona ${input.personaId} does not exist`,
      );
    }
    if (input.voiceId && !this.#deps.session.voiceExists(input.voiceId)) {
      throw new NobodyError("invalid_request", `"voice_id": voice ${input.voiceId} does not exist`);
    }
    const id = this.#deps.ids.next("session");
    let lease: DeviceLease | null = null;
    if (input.audio === "device") {
      if (this.#device || this.#opening) {
        throw new NobodyError(
          "conflict",
          `session ${
            this.#device?.sessionId ?? "(opening)"
          } already uses the local microphone; delete it first`,
        );
      }
      this.#opening = true;
      try {
        lease = await this.#deps.openDevices();
      } finally {
        this.#opening = false;
      }
      this.#device = { sessionId: id, lease };
    }
    const session = new Session({ id, ...input }, this.#deps.session, lease?.io ?? null);
    this.#sessions.set(id, session);
    return session;
  }

  get(id: string): Session {
    const session = this.#sessions.get(id);
    if (!session) throw notFound("session", id);
    return session;
  }

  list(): SessionSummary[] {
    return [...this.#sessions.values()].map((s) => s.summary());
  }

  async delete(id: string): Promise<void> {
    const session = this.get(id);
    this.#sessions.delete(id);
    await session.close();
    if (this.#device?.sessionId === id) {
      const { lease } = this.#device;
      this.#device = null;
      await lease.close();
    }
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.#sessions.keys()]) await this.delete(id);
  }
}
