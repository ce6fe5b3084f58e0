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
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationMs: number;
}

/** Containers recognized only to say clearly that they cannot be used yet. */
function otherContainer(bytes: Uint8Array): string | null {
  const head = String.fromCharCode(...bytes.subarray(0, 12));
  if (head.startsWith("OggS")) return "Ogg";
  if (head.startsWith("ID3") || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)) return "MP3";
  if (head.slice(4, 8) === "ftyp") return "MP4/M4A";
  if (head.startsWith("\x1aE\xdf\xa3")) return "WebM/Matroska";
  return null;
}

export function inspectAudio(bytes: Uint8Array): Result<AudioInfo> {
  if (bytes.length === 0) return fail("invalid_request", "the uploaded file is empty");
  if (isWav(bytes)) {
    const info = parseWavInfo(bytes);
    if (!info.ok) return info;
    return described("wav", info.value.sampleRate, info.value.channels, info.value.frames);
  }
  if (isFlac(bytes)) {
    const info = parseFlacInfo(bytes);
    if (!info.ok) return info;
    return described("flac", info.value.sampleRate, info.value.channels, info.value.frames);
  }
  const other = otherContainer(bytes);
  return fail(
    "unsupported_media_type",
    other
      ? `${other} samples are not supported yet; convert to WAV or FLAC (e.g. ffmpeg -i in out.wav)`
      : "the file is not audio this service understands; upload WAV or FLAC",
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
  return ok({ format, sampleRate, channels, durationMs: Math.round(frames / sampleRate * 1000) });
}
