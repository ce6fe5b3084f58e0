/**
 * @module
 * Small field readers for validating untrusted JSON bodies. Each names the field it rejects.
 */
import { fail, ok, type Result } from "./result.ts";

export type Fields = Record<string, unknown>;

/** A field as clients spell it: the public API is snake_case (the domain reads camelCase). */
export function wireName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function asObject(body: unknown, what: string): Result<Fields> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return fail("invalid_request", `${what} must be a JSON object`);
  }
  return ok(body as Fields);
}

/** Rejects fields the schema does not know, so a typo never passes silently. */
export function onlyKnown(fields: Fields, known: readonly string[], what: string): Result<Fields> {
  const unknown = Object.keys(fields).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    return fail(
      "invalid_request",
      `${what} has unknown field ${unknown.map((k) => `"${wireName(k)}"`).join(", ")} (known: ${
        known.map(wireName).join(", ")
      })`,
    );
  }
  return ok(fields);
}

export interface TextRule {
  readonly min?: number;
  readonly max: number;
  readonly trim?: boolean;
}

export function text(fields: Fields, key: string, rule: TextRule): Result<string> {
  const value = fields[key];
  if (typeof value !== "string") {
    return fail("invalid_request", `"${wireName(key)}" must be a string`);
  }
  const result = rule.trim === false ? value : value.trim();
  const min = rule.min ?? 0;
  if (result.length < min) {
    return fail(
      "invalid_request",
      min === 1
        ? `"${wireName(key)}" must not be empty`
        : `"${wireName(key)}" needs at least ${min} characters`,
    );
  }
  if (result.length > rule.max) {
    return fail("invalid_request", `"${wireName(key)}" must be at most ${rule.max} characters`);
  }
  return ok(result);
}

export function optionalText(
  fields: Fields,
  key: string,
  rule: TextRule,
  fallback: string,
): Result<string> {
  return fields[key] === undefined ? ok(fallback) : text(fields, key, rule);
}

export function oneOf<T extends string>(
  fields: Fields,
  key: string,
  allowed: readonly T[],
): Result<T> {
  const value = fields[key];
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) {
    return ok(value as T);
  }
  return fail("invalid_request", `"${wireName(key)}" must be one of ${allowed.join(", ")}`);
}

export function optionalNumber(
  fields: Fields,
  key: string,
  range: { min: number; max: number },
): Result<number | null> {
  const value = fields[key];
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return fail("invalid_request", `"${wireName(key)}" must be a number`);
  }
  if (value < range.min || value > range.max) {
    return fail("invalid_request", `"${wireName(key)}" must be from ${range.min} to ${range.max}`);
  }
  return ok(value);
}
