/**
 * @module
 * A {@linkcode Logger} that writes one line per record to stderr: time, level, message and
 * key=value fields. PII fields are dropped unless `logPii` is set.
 */
import type { LogLevel } from "../../config/config.ts";
import type { LogFields, Logger } from "../../ports/logger.ts";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface ConsoleLoggerOptions {
  readonly level: LogLevel;
  readonly logPii?: boolean;
  readonly write?: (line: string) => void;
}

export class ConsoleLogger implements Logger {
  readonly #options: ConsoleLoggerOptions;
  readonly #write: (line: string) => void;

  constructor(options: ConsoleLoggerOptions) {
    this.#options = options;
    const encoder = new TextEncoder();
    this.#write = options.write ?? ((line) => Deno.stderr.writeSync(encoder.encode(line + "\n")));
  }

  debug(message: string, fields?: LogFields): void {
    this.#log("debug", message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#log("info", message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.#log("warn", message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#log("error", message, fields);
  }

  #log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (RANK[level] < RANK[this.#options.level]) return;
    const { pii, ...rest } = fields;
    const all = this.#options.logPii && pii ? { ...rest, ...pii } : rest;
    const parts = Object.entries(all).map(([key, value]) => `${key}=${format(value)}`);
    this.#write([new Date().toISOString(), level.toUpperCase(), message, ...parts].join(" "));
  }
}

function format(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return /^[\w.:/@+-]*$/.test(text ?? "") ? String(text) : JSON.stringify(text);
}
