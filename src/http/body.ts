/**
 * @module
 * Request bodies read with a hard size limit, so an oversized upload is refused before it fills
 * memory, and JSON or multipart that does not parse gets a clear 400.
 */
import { NobodyError } from "../domain/errors.ts";

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
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new NobodyError(
      "unsupported_media_type",
      "send the body as Content-Type: application/json",
    );
  }
  const text = new TextDecoder().decode(await readBody(request, MAX_JSON_BYTES));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new NobodyError(
      "invalid_json",
      `the body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** Like {@linkcode readJson}, but a request without a body reads as `{}`. */
export function readOptionalJson(request: Request): Promise<unknown> {
  return request.body === null ? Promise.resolve({}) : readJson(request);
}

export interface UploadedFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

/** Reads the multipart part named `field` that carries a file. */
export async function readUploadedFile(
  request: Request,
  options: { field: string; maxBytes: number },
): Promise<UploadedFile> {
  return (await readUploadedForm(request, options)).file;
}

/** A multipart form with one file and text fields (other files are ignored). */
export async function readUploadedForm(
  request: Request,
  options: { field: string; maxBytes: number },
): Promise<{ file: UploadedFile; fields: ReadonlyMap<string, string> }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new NobodyError(
      "unsupported_media_type",
      `send the file as multipart/form-data in a field named "${options.field}"`,
    );
  }
  let body: Uint8Array<ArrayBuffer>;
  try {
    // Multipart framing adds a few hundred bytes around the file; allow for it.
    body = await readBody(request, options.maxBytes + 64 * 1024);
  } catch (error) {
    if (error instanceof NobodyError && error.code === "payload_too_large") {
      throw tooLarge(options.maxBytes);
    }
    throw error;
  }
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw new NobodyError("invalid_request", "the body is not valid multipart/form-data");
  }
  const file = form.get(options.field);
  if (!(file instanceof File)) {
    throw new NobodyError(
      "invalid_request",
      `the form has no file in a field named "${options.field}"`,
    );
  }
  if (file.size > options.maxBytes) throw tooLarge(options.maxBytes);
  const fields = new Map<string, string>();
  for (const [key, value] of form) if (typeof value === "string") fields.set(key, value);
  return {
    file: { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
    fields,
  };
}
