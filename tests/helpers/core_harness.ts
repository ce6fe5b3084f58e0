/**
 * @module
 * Runs the real composition (main.ts `createCore`) on a temp data dir and sends requests to its
 * Hono app in process, authenticated like a program unless a test says otherwise.
 */
import { DatabaseSync } from "node:sqlite";
import { type Core, createCore, createWorkers, type Workers } from "../../main.ts";
import { type Config, loadConfig } from "../../src/config/config.ts";
import { ConsoleLogger } from "../../src/adapters/log/console_logger.ts";
import { ONE_PROCESS_EACH } from "./server_process.ts";

export const ORIGIN = "http://127.0.0.1:6629";

export interface Harness {
  readonly core: Core;
  readonly config: Config;
  readonly dataDir: string;
  readonly logs: string[];
  /** The real workers, when the harness was asked for them. */
  readonly workers: Workers | null;
  /** Sends a request with the API token unless `init.headers` sets Authorization (or `auth: false`). */
  request(path: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
  json(path: string, method: string, body: unknown): Promise<Response>;
}

export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    os: Deno.build.os,
    env: { HOME: dataDir, NOBODY_DATA_DIR: dataDir, ...ONE_PROCESS_EACH, ...env },
    flags: {},
    readText: () => null,
  });
}

export async function withCore(
  fn: (h: Harness) => Promise<void>,
  options: { env?: Record<string, string>; dataDir?: string; workers?: boolean } = {},
): Promise<void> {
  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "nobody-test-" });
  const config = testConfig(dataDir, options.env);
  const logs: string[] = [];
  const logger = new ConsoleLogger({ level: "debug", write: (l) => logs.push(l) });
  const workers = options.workers ? await createWorkers(config, logger) : null;
  const core = await createCore(config, logger, { workers });
  const request = (path: string, init: RequestInit & { auth?: boolean } = {}) => {
    const headers = new Headers(init.headers);
    if (init.auth !== false && !headers.has("authorization")) {
      headers.set("authorization", `Bearer ${core.token}`);
    }
    return Promise.resolve(core.app.request(`${ORIGIN}${path}`, { ...init, headers }));
  };
  const harness: Harness = {
    core,
    config,
    dataDir,
    logs,
    workers,
    request,
    json: (path, method, body) =>
      request(path, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  };
  try {
    await fn(harness);
  } finally {
    await core.close();
    await workers?.supervisor.stop();
    if (!options.dataDir) await Deno.remove(dataDir, { recursive: true });
  }
}

/** Asserts the uniform error body and returns it. */
export async function expectError(
  response: Response,
  status: number,
  code: string,
): Promise<{ code: string; message: string }> {
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`expected ${status} ${code}, got ${response.status}: ${text}`);
  }
  const body = JSON.parse(text) as { error?: { code: string; message: string } };
  if (
    body.error?.code !== code || typeof body.error.message !== "string" || body.error.message === ""
  ) {
    throw new Error(`expected error code ${code}, got ${text}`);
  }
  return body.error;
}

export function multipart(
  field: string,
  bytes: Uint8Array<ArrayBuffer>,
  fileName: string,
): FormData {
  const form = new FormData();
  form.append(field, new File([bytes], fileName));
  return form;
}

/**
 * A voice a persona may name, without a training run: created over REST, then marked ready in the
 * database the way a finished training job leaves it (tests of speech train for real).
 */
export async function readyVoice(h: Harness, name: string): Promise<{ id: string; name: string }> {
  const voice = await (await h.json("/voices", "POST", { name })).json();
  markReady(h, voice.id);
  return voice;
}

/** Marks a voice trained, as a finished training job leaves it. */
export function markReady(h: Harness, voiceId: string): void {
  const db = new DatabaseSync(`${h.dataDir}/nobody.db`);
  try {
    db.prepare("UPDATE voices SET status = 'ready' WHERE id = ?").run(voiceId);
  } finally {
    db.close();
  }
}
