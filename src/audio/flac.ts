/**
 * @module
 * FLAC STREAMINFO reading: enough to check an upload and know its rate, channels and duration.
 */
import { fail, ok, type Result } from "../domain/result.ts";

export interface FlacInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly frames: number;
}

export function isFlac(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x66 && bytes[1] === 0x4c && bytes[2] === 0x61 &&
    bytes[3] === 0x43;
}

export function parseFlacInfo(bytes: Uint8Array): Result<FlacInfo> {
  if (!isFlac(bytes)) return fail("unsupported_media_type", "not a FLAC file");
  // The first metadata block must be STREAMINFO (type 0) with a 34-byte body.
  if (bytes.length < 8 + 34 || (bytes[4] & 0x7f) !== 0) {
    return fail("invalid_request", "FLAC file is truncated or lacks STREAMINFO");
  }
  const s = 8;
  const sampleRate = (bytes[s + 10] << 12) | (bytes[s + 11] << 4) | (bytes[s + 12] >> 4);
  const channels = ((bytes[s + 12] >> 1) & 0x07) + 1;
  const bitsPerSample = (((bytes[s + 12] & 1) << 4) | (bytes[s + 13] >> 4)) + 1;
  const frames = (bytes[s + 13] & 0x0f) * 2 ** 32 +
    ((bytes[s + 14] << 24) >>> 0) + (bytes[s + 15] << 16) + (bytes[s + 16] << 8) + bytes[s + 17];
  if (sampleRate < 8_000 || sampleRate > 192_000) {
    return fail("invalid_request", `FLAC sample rate ${sampleRate} Hz is outside 8000-192000 Hz`);
  }
  return ok({ sampleRate, channels, bitsPerSample, frames });
}
