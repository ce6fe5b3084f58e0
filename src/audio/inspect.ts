/**
 * @module
 * Identifies an uploaded audio file by its content (never by its name) and reads its basic facts.
 */
import type { AudioFormat } from "../domain/voice.ts";
import { fail, ok, type Result } from "../domain/result.ts";
import { parseWavInfo } from "./wav.ts";
import { isFlac, parseFlacInfo } from "./flac.ts";
import { isWav } from "./wav.ts";

export interface AudioInfo {
  readonly format: AudioFormat;
  /** Known from the header for WAV and FLAC; compressed formats learn them when decoded. */
  readonly header: { sampleRate: number; channels: number; durationMs: number } | null;
}

/** Compressed containers, recognized by their signature and decoded by the trainer worker. */
function compressed(bytes: Uint8Array): AudioFormat | null {
  const head = String.fromCharCode(...bytes.subarray(0, 12));
  if (head.startsWith("OggS")) return "ogg";
  if (head.startsWith("ID3") || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)) return "mp3";
  if (head.slice(4, 8) === "ftyp") return "m4a";
  if (head.startsWith("\x1aE\xdf\xa3")) return "webm";
  return null;
}

/**
 * `bytes` may be the head of a longer file: `totalBytes` (the whole file's size) then bounds the
 * WAV data chunk.
 */
export function inspectAudio(
  bytes: Uint8Array,
  options: { totalBytes?: number } = {},
): Result<AudioInfo> {
  if (bytes.length === 0) return fail("invalid_request", "the uploaded file is empty");
  if (isWav(bytes)) {
    const info = parseWavInfo(bytes, { totalBytes: options.totalBytes });
    if (!info.ok) return info;
    return described("wav", info.value.sampleRate, info.value.channels, info.value.frames);
  }
  if (isFlac(bytes)) {
    const info = parseFlacInfo(bytes);
    if (!info.ok) return info;
    // A FLAC written to a pipe (streamed) cannot go back to fill in its length: 0 means unknown.
    if (info.value.frames === 0) return ok({ format: "flac", header: null });
    return described("flac", info.value.sampleRate, info.value.channels, info.value.frames);
  }
  const format = compressed(bytes);
  if (format) return ok({ format, header: null });
  return fail(
    "unsupported_media_type",
    "the file is not audio this service understands; upload WAV, FLAC, Ogg, MP3 or M4A",
  );
}

function described(
  format: AudioFormat,
  sampleRate: number,
  channels: number,
  frames: number,
): Result<AudioInfo> {
  if (frames === 0) {
    return fail("invalid_request", `the ${format.toUpperCase()} file contains no audio`);
  }
  return ok({
    format,
    header: { sampleRate, channels, durationMs: Math.round(frames / sampleRate * 1000) },
  });
}
