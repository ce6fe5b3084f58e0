/**
 * @module
 * GET /status: what the service is, how long it has run and what it holds.
 */
import { Hono } from "hono";

export function statusRoutes(deps: { readonly status: () => unknown }): Hono {
  const app = new Hono();
  app.get("/", (c) => c.json(deps.status()));
  return app;
}
