/**
 * @module
 * A {@linkcode Logger} in front of another that remembers the latest warnings and errors, for the
 * dashboard's status page. PII fields are never kept.
 */
import type { LogFields, LoggedProblem as Problem, Logger } from "../../ports/logger.ts";

export class RecentProblems implements Logger {
  readonly #inner: Logger;
  readonly #limit: number;
  readonly #now: () => number;
  readonly #problems: Problem[] = [];

  constructor(inner: Logger, options: { limit?: number; now?: () => number } = {}) {
    this.#inner = inner;
    this.#limit = options.limit ?? 50;
    this.#now = options.now ?? Date.now;
  }

  /** Newest first. */
  list(): Problem[] {
    return [...this.#problems].reverse();
  }

  debug(message: string, fields?: LogFields): void {
    this.#inner.debug(message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#inner.info(message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.#keep("warn", message, fields);
    this.#inner.warn(message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#keep("error", message, fields);
    this.#inner.error(message, fields);
  }

  #keep(level: Problem["level"], message: string, fields: LogFields = {}): void {
    const { pii: _pii, ...rest } = fields;
    const safe = Object.fromEntries(
      Object.entries(rest).map(([k, v]) => [k, v instanceof Error ? v.message : v]),
    );
    this.#problems.push({ at: this.#now(), level, message, fields: safe });
    if (this.#problems.length > this.#limit) this.#problems.shift();
  }
}
