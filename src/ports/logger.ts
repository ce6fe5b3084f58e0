/**
 * @module
 * Structured logging. Transcripts, prompts and speaker ids go only in `pii` fields, which the
 * logger drops unless told otherwise.
 */

export type LogFields = Record<string, unknown> & { readonly pii?: Record<string, unknown> };

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A warning or error as the status page shows it (PII fields removed). */
export interface LoggedProblem {
  readonly at: number;
  readonly level: "warn" | "error";
  readonly message: string;
  readonly fields: Record<string, unknown>;
}
