/**
 * @module
 * The data dir holds the user's voice, keys and conversations: it is 0700 and every file in it
 * 0600, whatever umask or an older version left, and it must be writable before anything starts.
 */
import { NobodyError } from "../../domain/errors.ts";
import { isDiskFull } from "./storage_errors.ts";

/** Creates or tightens `dir` and everything below it; throws a clear error when it is not writable. */
export async function preparePrivateDir(dir: string): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    await tighten(dir, true);
    const probe = `${dir}/.write-probe-${crypto.randomUUID()}`;
    await Deno.writeFile(probe, new Uint8Array(1), { createNew: true, mode: 0o600 });
    await Deno.remove(probe);
  } catch (error) {
    if (error instanceof NobodyError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new NobodyError(
      isDiskFull(error) ? "insufficient_storage" : "internal",
      `the data dir ${dir} is not writable (${reason}); make it writable by this user or pass ` +
        "another with --data-dir",
      { cause: error },
    );
  }
}

async function tighten(path: string, isDir: boolean): Promise<void> {
  const info = await Deno.lstat(path);
  // Only group and other bits are taken away; owner bits (an executable helper) stay.
  if (info.mode !== null && (info.mode & 0o077) !== 0) {
    await Deno.chmod(path, (info.mode & 0o700) | (isDir ? 0o700 : 0));
  }
  if (!isDir) return;
  for await (const entry of Deno.readDir(path)) {
    if (entry.isSymlink) continue; // never follow a link out of the data dir
    await tighten(`${path}/${entry.name}`, entry.isDirectory);
  }
}

/**
 * Everything this process and its workers create (SQLite's -wal and -shm files among them) is
 * private to this user, and the data dir is tightened and checked writable.
 */
export async function privateDataDir(dir: string): Promise<void> {
  Deno.umask(0o077);
  await preparePrivateDir(dir);
}
