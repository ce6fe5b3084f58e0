/**
 * @module
 * The live sessions. A device session owns the local microphone and speaker, so there is at most
 * one; the devices are opened with it and closed with it (the OS microphone indicator goes off).
 */
import { NobodyError, notFound } from "../domain/errors.ts";
import type { SessionInput } from "../domain/session_input.ts";
import type { IdSource } from "../ports/runtime.ts";
import { Session, type SessionDeps, type SessionSummary } from "./session.ts";
import type { DeviceLease } from "../ports/audio_io.ts";

export type { DeviceLease };

export interface SessionManagerDeps {
  readonly session: SessionDeps;
  readonly ids: IdSource;
  /** At most this many sessions are open at once; creating more is `too_many_requests`. */
  readonly maxSessions?: number;
  /** An idle session nobody has used (no request, no socket) for this long is closed. */
  readonly idleTimeoutMs?: number;
  readonly now?: () => number;
  /** The persona of a session created without one. */
  readonly defaultPersonaId?: () => string;
  /** Opens the local devices; rejects with `unavailable` when there are none. */
  readonly openDevices: () => Promise<DeviceLease>;
}

/** A household's hotkey tools, dashboards and apps need a handful; 64 leaves room to spare. */
const DEFAULT_MAX_SESSIONS = 64;
/** The Spoon recreates its session when it finds it gone (404), so expiring costs nothing. */
const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;

export class SessionManager {
  readonly #deps: SessionManagerDeps;
  readonly #sessions = new Map<string, Session>();
  /** When each session was last asked for, and how many sockets hold it open. */
  readonly #used = new Map<string, { at: number; holds: number }>();
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
    await this.#expireIdle();
    const max = this.#deps.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (this.#sessions.size >= max) {
      throw new NobodyError(
        "too_many_requests",
        `${max} sessions are open, the most this service keeps; delete one (DELETE /sessions/{id}) ` +
          "or wait for idle ones to expire",
      );
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
    const personaId = input.personaId ?? this.#deps.defaultPersonaId?.() ?? null;
    const session = new Session(
      { id, ...input, personaId },
      this.#deps.session,
      lease?.io ?? null,
    );
    this.#sessions.set(id, session);
    this.#used.set(id, { at: this.#now(), holds: 0 });
    return session;
  }

  get(id: string): Session {
    const session = this.#sessions.get(id);
    if (!session) throw notFound("session", id);
    const used = this.#used.get(id);
    if (used) used.at = this.#now();
    return session;
  }

  /** Keeps a session from expiring while a socket uses it; returns the release. */
  hold(id: string): () => void {
    const used = this.#used.get(id);
    if (!used) return () => {};
    used.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      used.holds--;
      used.at = this.#now();
    };
  }

  get size(): number {
    return this.#sessions.size;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  /** Checked when a session is made, so an idle service runs no timer for it. */
  async #expireIdle(): Promise<void> {
    const limit = this.#deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const now = this.#now();
    for (const [id, used] of [...this.#used]) {
      const session = this.#sessions.get(id);
      if (session && used.holds === 0 && session.state === "idle" && now - used.at > limit) {
        await this.delete(id).catch(() => {});
      }
    }
  }

  list(): SessionSummary[] {
    return [...this.#sessions.values()].map((s) => s.summary());
  }

  async delete(id: string): Promise<void> {
    const session = this.get(id);
    this.#sessions.delete(id);
    this.#used.delete(id);
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
