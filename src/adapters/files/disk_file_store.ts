/**
 * @module
 * {@linkcode FileStore} on the local disk. Writes go to a temp file in the same folder, are
 * flushed, then renamed over the target, so a crash leaves either the old or the new file plus at
 * most a `.partial` temp file that the next start sweeps.
 */
import { type FileStore, TEMP_SUFFIX } from "../../ports/file_store.ts";

const KEY_PATTERN = /^[a-z0-9_-]+(\/[a-z0-9_.-]+)*$/;

export class DiskFileStore implements FileStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root.replace(/\/+$/, "");
  }

  path(key: string): string {
    return this.#path(key);
  }

  /** Keys are built from validated ids; anything else is a programming error, not user input. */
  #path(key: string): string {
    if (!KEY_PATTERN.test(key) || key.split("/").some((part) => part === "." || part === "..")) {
      throw new TypeError(`invalid file store key ${JSON.stringify(key)}`);
    }
    return `${this.#root}/${key}`;
  }

  async write(
    key: string,
    bytes: Uint8Array,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    options.signal?.throwIfAborted();
    const path = this.#path(key);
    const dir = path.slice(0, path.lastIndexOf("/"));
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = `${dir}/.${crypto.randomUUID()}${TEMP_SUFFIX}`;
    try {
      const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
      try {
        let written = 0;
        while (written < bytes.length) written += await file.write(bytes.subarray(written));
        await file.syncData();
      } finally {
        file.close();
      }
      options.signal?.throwIfAborted();
      await Deno.rename(temp, path);
    } catch (error) {
      await Deno.remove(temp).catch(ignoreNotFound);
      throw error;
    }
  }

  async read(key: string): Promise<Uint8Array<ArrayBuffer> | null> {
    try {
      return await Deno.readFile(this.#path(key));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await Deno.remove(this.#path(key)).catch(ignoreNotFound);
  }

  async removeTree(prefix: string): Promise<void> {
    await Deno.remove(this.#path(prefix), { recursive: true }).catch(ignoreNotFound);
  }

  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.#path(prefix))) names.push(entry.name);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return names.sort();
  }
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}
