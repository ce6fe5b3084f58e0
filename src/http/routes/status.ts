/**
 * @module
 * GET /status: what the service is, how long it has run and what it holds; /status/llm and
 * /status/devices look further (a network call, a PortAudio scan) only when asked.
 */
import { Hono } from "hono";
import { NobodyError } from "../../domain/errors.ts";

export interface StatusRouteDeps {
  readonly status: () => unknown;
  readonly llmStatus: () => Promise<unknown>;
  readonly devices: () => Promise<unknown[]>;
}

export function statusRoutes(deps: StatusRouteDeps): Hono {
  const app = new Hono();
  app.get("/", (c) => c.json(deps.status()));
  app.get("/llm", async (c) => c.json(await deps.llmStatus()));
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
