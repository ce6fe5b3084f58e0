/**
 * @module
 * Signing a browser in to the dashboard without the API token in any URL: `nobody ui` asks the
 * service (with the token) for a one-time code that lives a minute; the browser trades it once
 * for a random session id in an HttpOnly cookie; logging out forgets that id.
 */
import type { DashboardSessionStore } from "../ports/dashboard_sessions.ts";
import type { Clock } from "../ports/runtime.ts";

/** Long enough to open a browser, short enough that a leaked link is stale. */
export const LOGIN_CODE_TTL_MS = 60_000;
/**
 * The link `serve` prints at start, as Jupyter does: whoever reads the terminal (or the service's
 * private log) signs in once; a longer life covers a person who opens it after a coffee.
 */
export const START_CODE_TTL_MS = 15 * 60_000;
/** Codes waiting to be used; more are refused rather than kept. */
const MAX_OPEN_CODES = 32;

export interface DashboardLoginDeps {
  readonly sessions: DashboardSessionStore;
  readonly clock: Clock;
  /** Random bytes: a code or a session id is their hex. */
  readonly random: (bytes: number) => Uint8Array;
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export class DashboardLogin {
  readonly #deps: DashboardLoginDeps;
  readonly #codes = new Map<string, number>();

  constructor(deps: DashboardLoginDeps) {
    this.#deps = deps;
  }

  /** A code that signs one browser in, once, within `ttlMs` (a minute unless asked). */
  issueCode(options: { ttlMs?: number } = {}): { code: string; expiresAt: number } {
    const now = this.#deps.clock.now();
    for (const [code, expires] of this.#codes) if (expires <= now) this.#codes.delete(code);
    if (this.#codes.size >= MAX_OPEN_CODES) {
      // The oldest goes: a burst of `nobody ui` calls must not lock the user out.
      this.#codes.delete(this.#codes.keys().next().value!);
    }
    const code = hex(this.#deps.random(16));
    const expiresAt = now + (options.ttlMs ?? LOGIN_CODE_TTL_MS);
    this.#codes.set(code, expiresAt);
    return { code, expiresAt };
  }

  /** The new session id, or null when the code is unknown, used or expired. */
  redeem(code: string): string | null {
    const expires = this.#codes.get(code);
    if (expires === undefined) return null;
    this.#codes.delete(code); // single use, whatever happens next
    if (expires <= this.#deps.clock.now()) return null;
    const id = hex(this.#deps.random(32));
    this.#deps.sessions.add(id, this.#deps.clock.now());
    return id;
  }

  isSignedIn(sessionId: string): boolean {
    return /^[0-9a-f]{64}$/.test(sessionId) && this.#deps.sessions.has(sessionId);
  }

  logout(sessionId: string): void {
    if (/^[0-9a-f]{64}$/.test(sessionId)) this.#deps.sessions.remove(sessionId);
  }
}
