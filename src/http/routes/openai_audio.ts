/**
 * @module
 * OpenAI-compatible audio endpoints, so programs written for its SDK speak and listen locally:
 * POST /v1/audio/speech and POST /v1/audio/transcriptions.
 */
import { type Context, Hono } from "hono";
import { NobodyError } from "../../domain/errors.ts";
import { asObject, onlyKnown } from "../../domain/fields.ts";
import { unwrap } from "../../domain/result.ts";
import type { SpeechService } from "../../app/speech_service.ts";
import { readJson, readUploadedForm } from "../body.ts";
import { type ClientGone, requestSignal } from "../client_gone.ts";
import type { AudioEncoder, EncodedFormat } from "../../ports/audio_encoder.ts";
import { encodePcm16, wavHeader16 } from "../../audio/wav.ts";
import type { AudioChunk } from "../../ports/tts_engine.ts";
import { toSrt, toVtt } from "../subtitles.ts";

export interface OpenAiAudioDeps {
  readonly speech: SpeechService;
  readonly maxUploadBytes: number;
  /** MP3, FLAC, Opus and AAC (ffmpeg in production). */
  readonly encoder: AudioEncoder;
  readonly clientGone?: ClientGone;
}

/** OpenAI's PCM is 24 kHz 16-bit mono; WAV and MP3 use the same rate. */
const RATE = 24_000;
const MAX_INPUT_CHARS = 4_096;
const FORMATS = ["mp3", "wav", "pcm", "flac", "opus", "aac"] as const;
type SpeechFormat = typeof FORMATS[number];
const TYPES: Record<SpeechFormat, string> = {
  mp3: "audio/mpeg",
  wav: "audio/wav",
  pcm: "audio/pcm",
  flac: "audio/flac",
  opus: "audio/ogg; codecs=opus",
  aac: "audio/aac",
};
const encoded = (format: SpeechFormat): format is EncodedFormat =>
  format !== "wav" && format !== "pcm";
const TRANSCRIPT_FORMATS = ["json", "text", "verbose_json", "srt", "vtt"] as const;

interface SpeechRequest {
  readonly input: string;
  readonly voice: string;
  readonly format: SpeechFormat;
  readonly speed: number;
}

const bad = (message: string) => new NobodyError("invalid_request", message);

function parseSpeech(body: unknown): SpeechRequest {
  const fields = unwrap(onlyKnown(
    unwrap(asObject(body, "the request")),
    ["model", "input", "voice", "response_format", "speed", "instructions", "stream_format"],
    "the request",
  ));
  if (typeof fields.model !== "string" || fields.model === "") {
    throw bad(`"model" is required (any name: nobody speaks with its own engine)`);
  }
  const input = fields.input;
  if (typeof input !== "string" || input.trim() === "") throw bad(`"input" must be some text`);
  if (input.length > MAX_INPUT_CHARS) {
    throw bad(`"input" is ${input.length} characters; the limit is ${MAX_INPUT_CHARS}`);
  }
  const voice = fields.voice ?? "default";
  if (typeof voice !== "string") throw bad(`"voice" must be a voice id or name`);
  const format = fields.response_format ?? "mp3";
  if (!(FORMATS as readonly unknown[]).includes(format)) {
    throw bad(`"response_format" must be one of ${FORMATS.join(", ")}`);
  }
  const speed = fields.speed ?? 1;
  if (typeof speed !== "number" || !(speed >= 0.25 && speed <= 4)) {
    throw bad(`"speed" must be a number from 0.25 to 4`);
  }
  if (fields.stream_format !== undefined && fields.stream_format !== "audio") {
    throw bad(`"stream_format" must be "audio"`);
  }
  return { input, voice, format: format as SpeechFormat, speed };
}

export function openAiAudioRoutes(deps: OpenAiAudioDeps): Hono {
  const app = new Hono();

  app.post("/speech", async (c) => {
    const request = parseSpeech(await readJson(c.req.raw));
    if (encoded(request.format) && !(await deps.encoder.available())) {
      throw new NobodyError(
        "unsupported_media_type",
        `${request.format.toUpperCase()} needs ffmpeg, which is not installed; ask for "wav" or "pcm", or install ffmpeg`,
      );
    }
    const voice = deps.speech.resolveVoice(request.voice);
    const signal = c.req.raw.signal;
    const chunks = deps.speech.speak(request.input, {
      voice,
      sampleRate: RATE,
      speed: request.speed,
      pcm16: true,
      signal,
    })[Symbol.asyncIterator]();
    // The first chunk is awaited before the headers go out, so a failing engine is still a
    // clear error status rather than an empty 200.
    const first = await chunks.next();
    const bytes = (chunk: AudioChunk) => chunk.pcm16 ?? encodePcm16(chunk.samples);
    async function* pcm(): AsyncIterable<Uint8Array> {
      if (request.format === "wav") yield wavHeader16(RATE, null);
      if (!first.done) yield bytes(first.value);
      while (true) {
        const next = await chunks.next();
        if (next.done) return;
        yield bytes(next.value);
      }
    }
    const body = encoded(request.format)
      ? deps.encoder.encode(pcm(), { format: request.format, sampleRate: RATE, signal })
      : ReadableStream.from(pcm());
    return c.body(body, 200, {
      "Content-Type": TYPES[request.format],
      "X-Sample-Rate": String(RATE),
    });
  });

  app.post("/transcriptions", async (c) => {
    const signal = requestSignal(c, deps.clientGone);
    const { file, fields } = await readUploadedForm(c.req.raw, {
      field: "file",
      maxBytes: deps.maxUploadBytes,
      store: (file) => deps.speech.stage(file.chunks, { maxBytes: deps.maxUploadBytes, signal }),
      discard: (staged) => staged.dispose(),
    });
    try {
      if (!fields.get("model")) throw bad(`"model" is required (any name)`);
      const format = fields.get("response_format") ?? "json";
      if (!(TRANSCRIPT_FORMATS as readonly string[]).includes(format)) {
        throw bad(`"response_format" must be one of ${TRANSCRIPT_FORMATS.join(", ")}`);
      }
      const language = fields.get("language") ?? "en";
      const result = await deps.speech.transcribe(file, { signal, language });
      return transcriptResponse(c, format, language, result);
    } finally {
      await file.dispose();
    }
  });

  return app;
}

function transcriptResponse(
  c: Context,
  format: string,
  language: string,
  result: { text: string; durationMs: number },
): Response {
  if (format === "text") return c.text(`${result.text}\n`);
  // The engines give no word timings: one cue spans the recording.
  const cues = [{ startMs: 0, endMs: result.durationMs, text: result.text }];
  if (format === "srt") {
    return c.body(toSrt(cues), 200, { "content-type": "application/x-subrip; charset=utf-8" });
  }
  if (format === "vtt") {
    return c.body(toVtt(cues), 200, { "content-type": "text/vtt; charset=utf-8" });
  }
  if (format === "json") return c.json({ text: result.text });
  return c.json({
    task: "transcribe",
    language,
    duration: result.durationMs / 1000,
    text: result.text,
    segments: [{
      id: 0,
      start: 0,
      end: result.durationMs / 1000,
      text: result.text,
    }],
  });
}
