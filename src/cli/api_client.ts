/**
 * @module
 * The running service as the CLI's client commands reach it: its address from server.json, the
 * token from the data dir, and the service's own error messages on failure.
 */
import type { Config } from "../config/config.ts";
import { NobodyError } from "../domain/errors.ts";
import { readToken } from "../adapters/files/token_file.ts";
import { runningUrl } from "./ui_command.ts";
import { serverProof } from "../lib/server_proof.ts";
import { sameSecret } from "../lib/same_secret.ts";

/**
 * The address comes from server.json, which a crash can leave behind; another local user may
 * then listen on the freed port. The server must prove it holds the token (an HMAC over a fresh
 * nonce) before the CLI sends it.
 */
async function verifyServer(url: string, token: string): Promise<void> {
  const nonce = Array.from(
    crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  let proof: unknown;
  try {
    const response = await fetch(`${url}/auth/challenge?nonce=${nonce}`, {
      signal: AbortSignal.timeout(10_000),
    });
    proof = response.ok ? (await response.json() as { proof?: unknown }).proof : undefined;
  } catch {
    throw new NobodyError(
      "unavailable",
      `the service is not running at ${url}: start it with \`nobody serve\``,
    );
  }
  if (typeof proof !== "string" || !sameSecret(proof, await serverProof(token, nonce))) {
    throw new NobodyError(
      "unavailable",
      `the program listening at ${url} did not prove it is this nobody service (another ` +
        "program may hold its port); the API token was not sent. Stop it or start nobody again",
    );
  }
}

export interface ApiClient {
  readonly url: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, method?: string, body?: unknown): Promise<T>;
}

export async function apiClient(config: Config): Promise<ApiClient> {
  const url = await runningUrl(config);
  const token = await readToken(config.dataDir);
  let verified: Promise<void> | undefined;
  const request = async (path: string, init: RequestInit = {}) => {
    // Checked once per client, before the token is ever sent.
    await (verified ??= verifyServer(url, token));
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, { ...init, headers });
    } catch {
      throw new NobodyError(
        "unavailable",
        `the service is not running at ${url}: start it with \`nobody serve\``,
      );
    }
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      throw new NobodyError(
        body?.error?.code ?? "internal",
        body?.error?.message ?? `the service answered ${response.status}`,
      );
    }
    return response;
  };
  return {
    url,
    request,
    json: async <T>(path: string, method = "GET", body?: unknown) => {
      const response = await request(path, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return response.status === 204 ? undefined as T : await response.json() as T;
    },
  };
}
