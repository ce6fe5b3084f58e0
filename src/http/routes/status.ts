/**
 * @module
 * GET /status: what the service is, how long it has run and what it holds; /status/llm and
 * /status/devices look further (a network call, a PortAudio scan) only when asked.
 */
import { Hono } from "hono";
import { NobodyError } from "../../domain/errors.ts";
import { type LlmSettings, parseLlm } from "../../domain/persona.ts";
import { unwrap } from "../../domain/result.ts";
import type { ModelCheck } from "../../app/model_check.ts";
import { readApiJson } from "../body.ts";

export interface StatusRouteDeps {
  readonly status: () => Promise<unknown>;
  readonly llmStatus: () => Promise<unknown>;
  /** One short, timed completion with these settings (a persona's "Test" button). */
  readonly testModel: (settings: LlmSettings, signal: AbortSignal) => Promise<ModelCheck>;
  readonly devices: () => Promise<unknown[]>;
}

export function statusRoutes(deps: StatusRouteDeps): Hono {
  const app = new Hono();
  app.get("/", async (c) => c.json(await deps.status()));
  app.get("/llm", async (c) => c.json(await deps.llmStatus()));
  app.post("/llm/test", async (c) => {
    const body = await readApiJson(c.req.raw) as { llm?: unknown } | null;
    const settings = unwrap(parseLlm(body?.llm));
    return c.json(await deps.testModel(settings, c.req.raw.signal));
  });
  app.get("/devices", async (c) => {
    try {
      return c.json({ devices: await deps.devices() });
    } catch (error) {
      if (error instanceof NobodyError) throw error;
      throw new NobodyError("unavailable", `the audio devices cannot be listed: ${String(error)}`);
    }
  });
  return app;
}
