/**
 * @module
 * Training job routes. Jobs arrive with the trainer worker; until then these answer 501.
 */
import { Hono } from "hono";
import { NobodyError } from "../../domain/errors.ts";
import { parseId } from "../../domain/ids.ts";
import { unwrap } from "../../domain/result.ts";

export function trainingRoutes(): Hono {
  const app = new Hono();
  const unavailable = (raw: string): never => {
    unwrap(parseId("job", raw));
    throw new NobodyError("not_implemented", "training jobs are not available in this build yet");
  };
  app.get("/:jobId", (c) => unavailable(c.req.param("jobId")));
  app.delete("/:jobId", (c) => unavailable(c.req.param("jobId")));
  return app;
}
