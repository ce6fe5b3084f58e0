/**
 * @module
 * Training jobs: GET /training/{job_id} reports one, DELETE cancels it.
 */
import { Hono } from "hono";
import { parseId } from "../../domain/ids.ts";
import { unwrap } from "../../domain/result.ts";
import type { TrainingService } from "../../app/training_service.ts";

export function trainingRoutes(deps: { training: TrainingService }): Hono {
  const app = new Hono();
  const jobId = (raw: string) => unwrap(parseId("job", raw));
  app.get("/:jobId", (c) => c.json(deps.training.get(jobId(c.req.param("jobId")))));
  app.delete(
    "/:jobId",
    async (c) => c.json(await deps.training.cancel(jobId(c.req.param("jobId")))),
  );
  return app;
}
