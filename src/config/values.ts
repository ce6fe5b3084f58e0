/**
 * @module
 * Parsers for configuration values. Each accepts a TOML value or the text of an env var or flag.
 */
import { fail, ok, type Result } from "../domain/result.ts";

export type ValueParser<T> = (raw: unknown) => Result<T>;

function invalid<T>(expected: string, raw: unknown): Result<T> {
  return fail("invalid_request", `must be ${expected} (got ${JSON.stringify(raw)})`);
}

export function integer(min: number, max: number): ValueParser<number> {
  return (raw) => {
    const value = typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) {
      return ok(value);
    }
    return invalid(`an integer from ${min} to ${max}`, raw);
  };
}

export const nonEmptyText: ValueParser<string> = (raw) =>
  typeof raw === "string" && raw.trim() !== ""
    ? ok(raw.trim())
    : invalid("a non-empty string", raw);

export const boolean: ValueParser<boolean> = (raw) => {
  if (typeof raw === "boolean") return ok(raw);
  if (typeof raw === "string" && /^(1|true|yes|on)$/i.test(raw.trim())) return ok(true);
  if (typeof raw === "string" && /^(0|false|no|off)$/i.test(raw.trim())) return ok(false);
  return invalid("true or false", raw);
};

export const anyText: ValueParser<string> = (raw) =>
  typeof raw === "string" ? ok(raw.trim()) : invalid("a string", raw);

export const optionalSecret: ValueParser<string | null> = (raw) =>
  raw === "" ? ok(null) : typeof raw === "string" ? ok(raw.trim()) : invalid("a string", raw);

export const absolutePath: ValueParser<string> = (raw) =>
  typeof raw === "string" && raw.startsWith("/")
    ? ok(raw.replace(/\/+$/, "") || "/")
    : invalid("an absolute path", raw);

export const httpUrl: ValueParser<string> = (raw) => {
  if (typeof raw === "string" && URL.canParse(raw)) {
    const url = new URL(raw);
    if (url.protocol === "http:" || url.protocol === "https:") {
      return ok(url.href.replace(/\/+$/, ""));
    }
  }
  return invalid("an http or https URL", raw);
};

export function choice<T extends string>(allowed: readonly T[]): ValueParser<T> {
  return (raw) =>
    typeof raw === "string" && (allowed as readonly string[]).includes(raw)
      ? ok(raw as T)
      : invalid(`one of ${allowed.join(", ")}`, raw);
}

/**
 * Binding beyond loopback would expose voices and the API to the network, so only loopback
 * addresses are accepted.
 */
export const loopbackHost: ValueParser<string> = (raw) => {
  if (
    raw === "localhost" || raw === "::1" ||
    (typeof raw === "string" && /^127(\.\d{1,3}){3}$/.test(raw))
  ) {
    return ok(raw);
  }
  return invalid(
    "a loopback address (127.0.0.1, ::1 or localhost); nobody never listens on the network",
    raw,
  );
};

export const optionalUrl: ValueParser<string> = (raw) => raw === "" ? ok("") : httpUrl(raw);

/**
 * A speech server the core sends audio, text and a key to: HTTPS, unless it is on this machine
 * (an SSH tunnel's end, or a second service for tests), where plain HTTP never leaves it.
 */
export const remoteServiceUrl: ValueParser<string> = (raw) => {
  if (raw === "") return fail("invalid_request", "must be set when the provider is openai");
  const parsed = httpUrl(raw);
  if (!parsed.ok) return parsed;
  const url = new URL(parsed.value);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const local = host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
  if (url.protocol === "http:" && !local) {
    return fail(
      "invalid_request",
      `must use https:// for a server on another machine (got ${raw}); plain HTTP would send your audio and key in the clear`,
    );
  }
  if (url.username || url.password) {
    return fail("invalid_request", "must not carry credentials; set the api_key instead");
  }
  return parsed;
};
