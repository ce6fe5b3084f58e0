/**
 * @module
 * Recognizes a full disk in the errors of every layer that writes: Deno's file APIs (ENOSPC),
 * SQLite (SQLITE_FULL) and the workers (their messages), so it reaches the user as one code.
 */
import { NobodyError } from "../../domain/errors.ts";

const SQLITE_FULL = 13;
const QUOTA = new Set(["ENOSPC", "EDQUOT"]);

export function isDiskFull(error: unknown): boolean {
  if (error instanceof NobodyError) return error.code === "insufficient_storage";
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown } | null;
  if (typeof e?.code === "string" && QUOTA.has(e.code)) return true;
  // Extended result codes keep the primary code in the low byte.
  if (typeof e?.errcode === "number" && (e.errcode & 0xff) === SQLITE_FULL) return true;
  return typeof e?.message === "string" &&
    /no space left on device|disk quota exceeded|database or disk is full/i.test(e.message);
}

export function diskFull(cause?: unknown): NobodyError {
  return new NobodyError(
    "insufficient_storage",
    "the disk that holds the data dir is full; delete samples or voices, or free space on the disk, then try again",
    { cause },
  );
}

/** Rethrows a full disk as {@linkcode diskFull}, anything else as it is. */
export function rethrowStorage(error: unknown): never {
  throw isDiskFull(error) && !(error instanceof NobodyError) ? diskFull(error) : error;
}
