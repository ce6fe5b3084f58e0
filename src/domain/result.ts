/**
 * @module
 * Result values for expected failures, so callers must handle them where they happen.
 */
import { type ErrorCode, type Failure, NobodyError } from "./errors.ts";

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Failure };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** Returns the value or throws the failure as a {@linkcode NobodyError}. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw NobodyError.from(result.error);
}
