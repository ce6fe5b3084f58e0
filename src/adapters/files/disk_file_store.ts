/**
 * @module
 * {@linkcode FileStore} on the local disk. Writes go to a temp file in the same folder, are
 * flushed, then renamed over the target, so a crash leaves either the old or the new file plus at
 * most a `.partial` temp file that the next start sweeps.
 */
import { createHash } from "node:crypto";
import { NobodyError } from "../../domain/errors.ts";
import { type FileStore, TEMP_SUFFIX } from "../../ports/file_store.ts";
import { rethrowStorage } from "./storage_errors.ts";

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
    content: Uint8Array | AsyncIterable<Uint8Array>,
    options: { signal?: AbortSignal; maxBytes?: number } = {},
  ): Promise<number> {
    options.signal?.throwIfAborted();
    const path = this.#path(key);
    const dir = path.slice(0, path.lastIndexOf("/"));
    const temp = `${dir}/.${crypto.randomUUID()}${TEMP_SUFFIX}`;
    try {
      await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
      const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
      let size = 0;
      try {
        const chunks = content instanceof Uint8Array ? [content] : content;
        for await (const chunk of chunks) {
          options.signal?.throwIfAborted();
          size += chunk.length;
          if (options.maxBytes !== undefined && size > options.maxBytes) {
            throw new NobodyError("payload_too_large", "the file is larger than the limit");
          }
          let written = 0;
          while (written < chunk.length) written += await file.write(chunk.subarray(written));
        }
        await file.syncData();
      } finally {
        file.close();
      }
      options.signal?.throwIfAborted();
      await Deno.rename(temp, path);
      return size;
    } catch (error) {
      await Deno.remove(temp).catch(ignoreNotFound);
      rethrowStorage(error);
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

  /** The file opened for reading, or null when it does not exist. */
  async #openExisting(key: string): Promise<Deno.FsFile | null> {
    try {
      return await Deno.open(this.#path(key), { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  }

  async digest(key: string): Promise<string | null> {
    const file = await this.#openExisting(key);
    if (!file) return null;
    const hash = createHash("sha256");
    for await (const chunk of file.readable) hash.update(chunk); // the stream closes the file
    return hash.digest("hex");
  }

  async readHead(key: string, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
    const file = await this.#openExisting(key);
    if (!file) return null;
    try {
      const head = new Uint8Array(maxBytes);
      let at = 0;
      while (at < maxBytes) {
        const n = await file.read(head.subarray(at));
        if (n === null) break;
        at += n;
      }
      return head.slice(0, at);
    } finally {
      file.close();
    }
  }

  async move(from: string, to: string): Promise<void> {
    const target = this.#path(to);
    try {
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true, mode: 0o700 });
      await Deno.rename(this.#path(from), target);
    } catch (error) {
      rethrowStorage(error);
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
