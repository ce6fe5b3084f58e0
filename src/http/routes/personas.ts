/**
 * @module
 * REST routes for personas.
 */
import { Hono } from "hono";
import { parseId } from "../../domain/ids.ts";
import { parsePersonaInput } from "../../domain/persona.ts";
import { unwrap } from "../../domain/result.ts";
import type { PersonaService } from "../../app/persona_service.ts";
import { readApiJson } from "../body.ts";

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

  app.delete("/:id", (c) => {
    deps.personas.delete(personaId(c.req.param("id")));
    return c.body(null, 204);
  });

  return app;
}
