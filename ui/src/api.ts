/**
 * @module
 * The dashboard's calls to the service: same origin, authenticated by the dashboard cookie, and
 * every failure turned into an {@linkcode ApiError} carrying the service's own message.
 */

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function failure(response: Response): Promise<ApiError> {
  try {
    const body = await response.json();
    if (body?.error?.message) {
      return new ApiError(response.status, body.error.code, body.error.message);
    }
  } catch { /* not JSON */ }
  return new ApiError(response.status, "http_error", `the service answered ${response.status}`);
}

/** Called when the service says this browser is not signed in (the sign-in screen shows). */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: "same-origin", ...init });
  } catch (error) {
    if ((error as Error)?.name === "AbortError") throw error;
    throw new ApiError(0, "offline", "the service is not reachable; is `nobody serve` running?");
  }
  if (response.status === 401) onSignedOut();
  if (!response.ok) throw await failure(response);
  return response;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return await (await request(path, { signal })).json() as T;
}

export async function sendJson<T>(path: string, method: string, body?: unknown): Promise<T> {
  const response = await request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? undefined as T : await response.json() as T;
}

export async function upload<T>(path: string, file: Blob, name: string): Promise<T> {
  const form = new FormData();
  form.append("file", file, name);
  return await (await request(path, { method: "POST", body: form })).json() as T;
}

export const message = (error: unknown) => error instanceof Error ? error.message : String(error);
