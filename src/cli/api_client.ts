/**
 * @module
 * The running service as the CLI's client commands reach it: its address from server.json, the
 * token from the data dir, and the service's own error messages on failure.
 */
import type { Config } from "../config/config.ts";
import { NobodyError } from "../domain/errors.ts";
import { readToken } from "../adapters/files/token_file.ts";
import { runningUrl } from "./ui_command.ts";

export interface ApiClient {
  readonly url: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, method?: string, body?: unknown): Promise<T>;
}

export async function apiClient(config: Config): Promise<ApiClient> {
  const url = await runningUrl(config);
  const token = await readToken(config.dataDir);
  const request = async (path: string, init: RequestInit = {}) => {
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
