/**
 * @module
 * REST routes for voices and their samples.
 */
import { Hono } from "hono";
import { parseId } from "../../domain/ids.ts";
import { unwrap } from "../../domain/result.ts";
import { NobodyError } from "../../domain/errors.ts";
import { type AudioFormat, parseVoiceInput } from "../../domain/voice.ts";
import type { VoiceService } from "../../app/voice_service.ts";
import type { TrainingService } from "../../app/training_service.ts";
import { hasConsent } from "../../domain/training_job.ts";
import { readApiJson, readOptionalApiJson, readUploadedForm } from "../body.ts";
import { type ClientGone, requestSignal } from "../client_gone.ts";

export interface VoiceRouteDeps {
  readonly voices: VoiceService;
  readonly training: TrainingService;
  readonly maxUploadBytes: number;
  readonly clientGone?: ClientGone;
}

const AUDIO_TYPES: Record<AudioFormat, string> = {
  wav: "audio/wav",
  flac: "audio/flac",
  ogg: "audio/ogg",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  webm: "audio/webm",
};

export function voiceRoutes(deps: VoiceRouteDeps): Hono {
  const app = new Hono();
  const voiceId = (raw: string) => unwrap(parseId("voice", raw));
  const sampleId = (raw: string) => unwrap(parseId("sample", raw));

  app.get("/", (c) => c.json({ voices: deps.voices.list() }));

  app.post("/", async (c) => {
    const voice = deps.voices.create(unwrap(parseVoiceInput(await readApiJson(c.req.raw))));
    return c.json(voice, 201, { Location: `/voices/${voice.id}` });
  });

  app.get("/:id", (c) => c.json(deps.voices.detail(voiceId(c.req.param("id")))));

  /** Changes the name or description; a field left out keeps its value. */
  app.patch("/:id", async (c) => {
    const id = voiceId(c.req.param("id"));
    const current = deps.voices.get(id);
    const body = await readApiJson(c.req.raw);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new NobodyError("invalid_request", 'the body must be an object such as {"name": "Me"}');
    }
    const input = unwrap(parseVoiceInput({
      name: current.name,
      description: current.description,
      ...body,
    }));
    return c.json(deps.voices.update(id, input));
  });

  app.delete("/:id", async (c) => {
    const id = voiceId(c.req.param("id"));
    // A training still running would write into the folder being deleted.
    await deps.training.cancelForVoice(id);
    await deps.voices.delete(id);
    return c.body(null, 204);
  });

  app.get(
    "/:id/samples",
    (c) => c.json({ samples: deps.voices.listSamples(voiceId(c.req.param("id"))) }),
  );

  app.post("/:id/samples", async (c) => {
    const id = voiceId(c.req.param("id"));
    deps.voices.get(id); // a missing voice is a 404 before the upload is read
    // A client that leaves while its upload streams or is analyzed gets nothing stored.
    const signal = requestSignal(c, deps.clientGone);
    const { file } = await readUploadedForm(c.req.raw, {
      field: "file",
      maxBytes: deps.maxUploadBytes,
      store: async (file) => ({
        fileName: file.fileName,
        staged: await deps.voices.stage(file.chunks, { maxBytes: deps.maxUploadBytes, signal }),
      }),
      discard: ({ staged }) => deps.voices.discardStaged(staged),
    });
    const sample = await deps.voices.addStaged(id, file.staged, file.fileName, { signal });
    return c.json(sample, 201, { Location: `/voices/${id}/samples/${sample.id}` });
  });

  app.get("/:id/samples/:sampleId", async (c) => {
    const { sample } = await deps.voices.sampleAudio(
      voiceId(c.req.param("id")),
      sampleId(c.req.param("sampleId")),
    );
    return c.json(sample);
  });

  app.get("/:id/samples/:sampleId/audio", async (c) => {
    const { sample, bytes } = await deps.voices.sampleAudio(
      voiceId(c.req.param("id")),
      sampleId(c.req.param("sampleId")),
    );
    return c.body(bytes, 200, { "Content-Type": AUDIO_TYPES[sample.format] });
  });

  app.delete("/:id/samples/:sampleId", async (c) => {
    await deps.voices.deleteSample(voiceId(c.req.param("id")), sampleId(c.req.param("sampleId")));
    return c.body(null, 204);
  });

  app.post("/:id/train", async (c) => {
    const id = voiceId(c.req.param("id"));
    const consent = hasConsent(await readOptionalApiJson(c.req.raw));
    // Pressing Train twice is one training: the second request gets the running job (200).
    const joined = consent ? deps.training.runningJob(id) : null;
    const job = joined ?? deps.training.start(id, { consent });
    return c.json(job, joined ? 200 : 202, { Location: `/training/${job.id}` });
  });

  return app;
}
