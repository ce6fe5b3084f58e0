/**
 * @module
 * Files kept under the data directory by key (for example `voices/<voice id>/samples/<id>.wav`).
 * Keys are built from validated ids only; a write is atomic, so a reader sees the old file, the
 * new file or nothing, never a partial one.
 */

export interface FileStore {
  write(key: string, bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<void>;
  /** Returns null when the file does not exist. */
  read(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
  remove(key: string): Promise<void>;
  /** Removes a folder and everything in it; absent folders are fine. */
  removeTree(prefix: string): Promise<void>;
  /** Lists names directly below `prefix` (files and folders); empty when it does not exist. */
  list(prefix: string): Promise<string[]>;
  /** The absolute path of a key, for processes that read the files themselves (workers). */
  path(key: string): string;
}

/** Temp files that a crash during a write can leave behind end with this suffix. */
export const TEMP_SUFFIX = ".partial";
