/**
 * @module
 * GET /v1/models, as OpenAI-compatible clients (Open WebUI among them) list models before they
 * speak or listen. Every name is served by the local engines; any other model name is accepted too.
 */
import { Hono } from "hono";
import { NobodyError } from "../../domain/errors.ts";

/** The names OpenAI's SDKs and the tools built on them ask for. */
export const MODELS = [
  { id: "tts-1", purpose: "speech" },
  { id: "tts-1-hd", purpose: "speech" },
  { id: "gpt-4o-mini-tts", purpose: "speech" },
  { id: "whisper-1", purpose: "transcription" },
  { id: "gpt-4o-transcribe", purpose: "transcription" },
  { id: "gpt-4o-mini-transcribe", purpose: "transcription" },
] as const;

function model(id: string) {
  return { id, object: "model", created: 0, owned_by: "nobody" };
}

export function openAiModelRoutes(): Hono {
  const app = new Hono();
  app.get("/", (c) => c.json({ object: "list", data: MODELS.map((m) => model(m.id)) }));
  app.get("/:id", (c) => {
    const id = c.req.param("id");
    if (!MODELS.some((m) => m.id === id)) {
      throw new NobodyError(
        "not_found",
        `model "${id}" is not served here; GET /v1/models lists them`,
      );
    }
    return c.json(model(id));
  });
  return app;
}
