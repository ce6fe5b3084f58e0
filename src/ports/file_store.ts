/**
 * @module
 * Files kept under the data directory by key (for example `voices/<voice id>/samples/<id>.wav`).
 * Keys are built from validated ids only; a write is atomic, so a reader sees the old file, the
 * new file or nothing, never a partial one.
 */

export interface FileStore {
  /**
   * Writes bytes, or a stream of them as they arrive (never held whole), and returns the size.
   * More than `maxBytes` stops the write with `payload_too_large`; a full disk is
   * `insufficient_storage`. Either way nothing is left under the key.
   */
  write(
    key: string,
    content: Uint8Array | AsyncIterable<Uint8Array>,
    options?: { signal?: AbortSignal; maxBytes?: number },
  ): Promise<number>;
  /** Returns null when the file does not exist. */
  read(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /** The first `maxBytes` of a file (all of a shorter one); null when it does not exist. */
  readHead(key: string, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null>;
  /** Renames a file or folder, replacing a file at `to`; creates the folders `to` needs. */
  move(from: string, to: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** Removes a folder and everything in it; absent folders are fine. */
  removeTree(prefix: string): Promise<void>;
  /** Lists names directly below `prefix` (files and folders); empty when it does not exist. */
  list(prefix: string): Promise<string[]>;
  /** SHA-256 of a file's bytes as hex, read as a stream; null when it does not exist. */
  digest(key: string): Promise<string | null>;
  /** The absolute path of a key, for processes that read the files themselves (workers). */
  path(key: string): string;
}

/** Temp files that a crash during a write can leave behind end with this suffix. */
export const TEMP_SUFFIX = ".partial";
