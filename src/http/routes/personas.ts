/**
 * @module
 * REST routes for personas.
 */
import { Hono } from "hono";
import { parseId } from "../../domain/ids.ts";
import { parsePersonaInput } from "../../domain/persona.ts";
import { unwrap } from "../../domain/result.ts";
import type { PersonaService } from "../../app/persona_service.ts";
import { NobodyError } from "../../domain/errors.ts";
import { readApiJson } from "../body.ts";

const MAX_HISTORY = 1_000;

export function personaRoutes(deps: { readonly personas: PersonaService }): Hono {
  const app = new Hono();
  const personaId = (raw: string) => unwrap(parseId("persona", raw));

  app.get("/", (c) => c.json({ personas: deps.personas.list() }));

  app.post("/", async (c) => {
    const persona = deps.personas.create(unwrap(parsePersonaInput(await readApiJson(c.req.raw))));
    return c.json(persona, 201, { Location: `/personas/${persona.id}` });
  });

  app.get("/:id", (c) => c.json(deps.personas.get(personaId(c.req.param("id")))));

  app.put("/:id", async (c) => {
    const id = personaId(c.req.param("id"));
    return c.json(
      deps.personas.update(id, unwrap(parsePersonaInput(await readApiJson(c.req.raw)))),
    );
  });

  app.get("/:id/history", (c) => {
    const raw = c.req.query("limit") ?? "200";
    const limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY) {
      throw new NobodyError(
        "invalid_request",
        `"limit" must be a whole number from 1 to ${MAX_HISTORY}, not "${raw}"`,
      );
    }
    return c.json({ messages: deps.personas.history(personaId(c.req.param("id")), limit) });
  });

  app.delete("/:id/history", (c) => {
    return c.json({ deleted: deps.personas.clearHistory(personaId(c.req.param("id"))) });
  });

  app.delete("/:id", (c) => {
    deps.personas.delete(personaId(c.req.param("id")));
    return c.body(null, 204);
  });

  return app;
}
