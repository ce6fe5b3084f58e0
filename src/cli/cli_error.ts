/**
 * @module
 * Any error a command ends with, as the one line a person reads: `nobody: <what went wrong>`.
 * A file that is missing or unwritable names its path and what was being done to it; only
 * `NOBODY_DEBUG=1` adds a stack trace.
 */
import { NobodyError } from "../domain/errors.ts";
import { UsageError } from "./args.ts";

/** Deno's file errors read "No such file or directory (os error 2): readfile '/x.wav'". */
const OS_ERROR = /^(.*?) \(os error \d+\)(?:: (\w+) '(.*)')?/;

const OPERATIONS: Record<string, string> = {
  readfile: "read",
  open: "open",
  writefile: "write",
  mkdir: "create the folder",
  remove: "remove",
  stat: "find",
};

export function describeError(error: unknown): { line: string; exitCode: number } {
  if (error instanceof UsageError) return { line: `nobody: ${error.message}`, exitCode: 2 };
  if (error instanceof NobodyError) return { line: `nobody: ${error.message}`, exitCode: 1 };
  const message = error instanceof Error ? error.message : String(error);
  const os = OS_ERROR.exec(message);
  if (os) {
    const [, reason, op, path] = os;
    const what = op ? `cannot ${OPERATIONS[op] ?? op} ${path}: ` : "";
    return { line: `nobody: ${what}${reason.toLowerCase()}`, exitCode: 1 };
  }
  return { line: `nobody: ${message.split("\n")[0]}`, exitCode: 1 };
}
