/**
 * @module
 * Request bodies read with a hard size limit, so an oversized upload is refused before it fills
 * memory, and JSON or multipart that does not parse gets a clear 400.
 */
import { NobodyError } from "../domain/errors.ts";
import { readMultipart, type StreamedFile } from "./multipart.ts";
import { fromWireCase } from "./wire_case.ts";

/** JSON bodies are small documents; 1 MiB leaves room for long system prompts. */
export const MAX_JSON_BYTES = 1024 * 1024;

function tooLarge(maxBytes: number): NobodyError {
  return new NobodyError(
    "payload_too_large",
    `the request body is larger than the limit of ${formatBytes(maxBytes)}`,
  );
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

export async function readBody(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}

export async function readJson(request: Request): Promise<unknown> {
  return parseJson(request, await readBody(request, MAX_JSON_BYTES));
}

function parseJson(request: Request, bytes: Uint8Array): unknown {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new NobodyError(
      "unsupported_media_type",
      "send the body as Content-Type: application/json",
    );
  }
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new NobodyError(
      "invalid_json",
      `the body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * Like {@linkcode readJson}, but a request without a body reads as `{}`: also an empty one
 * (`Content-Length: 0`, whatever its Content-Type), as curl and hotkey tools send a bare POST.
 */
export async function readOptionalJson(request: Request): Promise<unknown> {
  if (request.body === null) return {};
  const bytes = await readBody(request, MAX_JSON_BYTES);
  return bytes.length === 0 ? {} : parseJson(request, bytes);
}

/** A body of the nobody API, its snake_case (or older camelCase) keys as the domain reads them. */
export async function readApiJson(request: Request): Promise<unknown> {
  return fromWireCase(await readJson(request));
}

/** Like {@linkcode readApiJson}, but a request without a body reads as `{}`. */
export async function readOptionalApiJson(request: Request): Promise<unknown> {
  return fromWireCase(await readOptionalJson(request));
}

/**
 * Reads a multipart form whose file part (named `field`) streams to `store` as it arrives: an
 * upload is never held whole in memory. Text fields are returned beside what `store` made.
 */
export async function readUploadedForm<T>(
  request: Request,
  options: {
    field: string;
    maxBytes: number;
    store: (file: StreamedFile) => Promise<T>;
    /** Undoes `store` when the rest of the body turns out bad: nothing is left behind. */
    discard: (stored: T) => Promise<void>;
  },
): Promise<{ file: T; fields: ReadonlyMap<string, string> }> {
  const type = request.headers.get("content-type") ?? "";
  const boundary = /^multipart\/form-data\b.*;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  if (!boundary) {
    throw new NobodyError(
      "unsupported_media_type",
      `send the file as multipart/form-data in a field named "${options.field}"`,
    );
  }
  // Multipart framing and text fields add a little around the file; allow for it.
  const maxBytes = options.maxBytes + 64 * 1024;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(options.maxBytes);
  if (!request.body) throw new NobodyError("invalid_request", "the request has no body");
  // What store made, kept out here: a closure's assignment is invisible to narrowing.
  const made: T[] = [];
  let result: Awaited<ReturnType<typeof readMultipart<T>>>;
  try {
    result = await readMultipart(request.body, {
      boundary: boundary[1] ?? boundary[2],
      field: options.field,
      maxBytes,
      tooLarge: () => tooLarge(options.maxBytes),
      store: async (file) => {
        try {
          const value = await options.store(file);
          made.push(value);
          return value;
        } catch (error) {
          // The file alone may pass the body's allowance for framing: the limit is the file's.
          if (error instanceof NobodyError && error.code === "payload_too_large") {
            throw tooLarge(options.maxBytes);
          }
          throw error;
        }
      },
    });
  } catch (error) {
    for (const value of made) await options.discard(value);
    throw error;
  }
  const { stored, fields } = result;
  if (stored === null) {
    throw new NobodyError(
      "invalid_request",
      `the form has no file in a field named "${options.field}"`,
    );
  }
  return { file: stored.value, fields };
}
