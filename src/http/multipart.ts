/**
 * @module
 * A streaming multipart/form-data reader: the file part flows to a consumer as it arrives, so an
 * upload of any size costs a few chunks of memory, and text fields are kept (small) beside it.
 */
import { BodyCutOff, NobodyError } from "../domain/errors.ts";
import { concatBytes } from "../lib/bytes.ts";

export interface StreamedFile {
  readonly fileName: string;
  /** The file's bytes as they arrive; must be read to the end (or the reader fails). */
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** Part headers are a few lines; text fields are short values such as a model name. */
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 64 * 1024;

const malformed = () =>
  new NobodyError("invalid_request", "the body is not valid multipart/form-data");

/**
 * Reads the form. The first file part named `field` goes to `store` while it streams; other file
 * parts are skipped. Resolves when the whole body has been read.
 */
export async function readMultipart<T>(
  body: ReadableStream<Uint8Array>,
  options: {
    boundary: string;
    field: string;
    store: (file: StreamedFile) => Promise<T>;
    /** The whole body's limit; past it the read stops with `payload_too_large`. */
    maxBytes: number;
    tooLarge: () => Error;
  },
): Promise<{ stored: { value: T } | null; fields: Map<string, string> }> {
  const reader = new ChunkReader(body, options.maxBytes, options.tooLarge);
  const delimiter = new TextEncoder().encode(`\r\n--${options.boundary}`);
  const fields = new Map<string, string>();
  let stored: { value: T } | null = null;
  try {
    // The first delimiter may open the body without the leading CRLF.
    await reader.skipPast(delimiter.subarray(2));
    while (true) {
      const after = await reader.take(2);
      if (after === "--") {
        // Read to the end: a server that has read the whole body notices a client that leaves.
        await reader.drain(MAX_HEADER_BYTES);
        break;
      }
      if (after !== "\r\n") throw malformed();
      const headers = parseHeaders(await reader.takeUntil(CRLF2, MAX_HEADER_BYTES));
      const part = reader.partBody(delimiter);
      if (headers.fileName !== null && headers.name === options.field && stored === null) {
        stored = { value: await options.store({ fileName: headers.fileName, chunks: part }) };
      } else if (headers.fileName === null && headers.name !== null) {
        fields.set(headers.name, await collectText(part));
      } else {
        for await (const _ of part) { /* another file: skipped */ }
      }
    }
    return { stored, fields };
  } finally {
    await reader.cancel();
  }
}

const CRLF2 = new Uint8Array([13, 10, 13, 10]);

async function collectText(part: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of part) {
    size += chunk.length;
    if (size > MAX_FIELD_BYTES) throw malformed();
    chunks.push(chunk);
  }
  return new TextDecoder().decode(concatBytes(...chunks));
}

function parseHeaders(raw: Uint8Array): { name: string | null; fileName: string | null } {
  const text = new TextDecoder().decode(raw);
  const disposition = text.split("\r\n").find((line) => /^content-disposition:/i.test(line));
  if (!disposition) throw malformed();
  const param = (key: string) => {
    const match = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${key}=([^;\\s]+)`, "i")
      .exec(disposition);
    return match ? (match[1] ?? match[2]).replace(/\\(.)/g, "$1") : null;
  };
  return { name: param("name"), fileName: param("filename") };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  for (let i = haystack.indexOf(first, from); i !== -1; i = haystack.indexOf(first, i + 1)) {
    if (i + needle.length > haystack.length) return -1;
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** Unread bytes of a stream, refilled a chunk at a time. */
class ChunkReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #maxBytes: number;
  readonly #tooLarge: () => Error;
  #buffer: Uint8Array = new Uint8Array(0);
  #done = false;
  #read = 0;

  constructor(body: ReadableStream<Uint8Array>, maxBytes: number, tooLarge: () => Error) {
    this.#reader = body.getReader();
    this.#maxBytes = maxBytes;
    this.#tooLarge = tooLarge;
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await this.#reader.read();
    } catch (error) {
      throw new BodyCutOff({ cause: error });
    }
    const { done, value } = next;
    if (done) {
      this.#done = true;
      return false;
    }
    this.#read += value.length;
    if (this.#read > this.#maxBytes) throw this.#tooLarge();
    this.#buffer = this.#buffer.length === 0 ? value : concatBytes(this.#buffer, value);
    return true;
  }

  async skipPast(needle: Uint8Array): Promise<void> {
    while (true) {
      const at = indexOf(this.#buffer, needle);
      if (at !== -1) {
        this.#buffer = this.#buffer.subarray(at + needle.length);
        return;
      }
      if (this.#buffer.length > MAX_HEADER_BYTES) throw malformed();
      if (!await this.#fill()) throw malformed();
    }
  }

  async take(n: number): Promise<string> {
    while (this.#buffer.length < n) if (!await this.#fill()) throw malformed();
    const text = String.fromCharCode(...this.#buffer.subarray(0, n));
    this.#buffer = this.#buffer.subarray(n);
    return text;
  }

  async takeUntil(needle: Uint8Array, max: number): Promise<Uint8Array> {
    while (true) {
      const at = indexOf(this.#buffer, needle);
      if (at !== -1) {
        const head = this.#buffer.slice(0, at);
        this.#buffer = this.#buffer.subarray(at + needle.length);
        return head;
      }
      if (this.#buffer.length > max || !await this.#fill()) throw malformed();
    }
  }

  /** The bytes up to the next delimiter, which is consumed; what may start a delimiter is held. */
  async *partBody(delimiter: Uint8Array): AsyncGenerator<Uint8Array> {
    while (true) {
      const at = indexOf(this.#buffer, delimiter);
      if (at !== -1) {
        if (at > 0) yield this.#buffer.slice(0, at);
        this.#buffer = this.#buffer.subarray(at + delimiter.length);
        return;
      }
      const safe = this.#buffer.length - (delimiter.length - 1);
      if (safe > 0) {
        yield this.#buffer.slice(0, safe);
        this.#buffer = this.#buffer.subarray(safe);
      }
      if (!await this.#fill()) throw malformed();
    }
  }

  /** Reads and drops what is left (an epilogue), up to `max` bytes. */
  async drain(max: number): Promise<void> {
    let left = max - this.#buffer.length;
    this.#buffer = new Uint8Array(0);
    while (left >= 0 && await this.#fill()) {
      left -= this.#buffer.length;
      this.#buffer = new Uint8Array(0);
    }
    if (left < 0) throw malformed();
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
