/**
 * @module
 * SubRip and WebVTT transcripts for POST /v1/audio/transcriptions (`response_format` srt, vtt).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toSrt } from "./subtitles.ts";
 * const srt = toSrt([{ startMs: 0, endMs: 1_500, text: "hello there" }]);
 * assert.equal(srt, "1\n00:00:00,000 --> 00:00:01,500\nhello there\n\n");
 * ```
 */

export interface Cue {
  readonly startMs: number;
  readonly endMs: number;
  readonly text: string;
}

function clock(ms: number, separator: "," | "."): string {
  const whole = Math.max(0, Math.round(ms));
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor(whole / 60_000) % 60;
  const s = Math.floor(whole / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(whole % 1000, 3)}`;
}

/** A cue's text on one line: a blank line would end the cue early in both formats. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").replace(/-->/g, "->").trim();
}

export function toSrt(cues: readonly Cue[]): string {
  return cues.filter((c) => oneLine(c.text)).map((c, i) =>
    `${i + 1}\n${clock(c.startMs, ",")} --> ${clock(c.endMs, ",")}\n${oneLine(c.text)}\n\n`
  ).join("");
}

export function toVtt(cues: readonly Cue[]): string {
  return "WEBVTT\n\n" +
    cues.filter((c) => oneLine(c.text)).map((c) =>
      `${clock(c.startMs, ".")} --> ${clock(c.endMs, ".")}\n${oneLine(c.text)}\n\n`
    ).join("");
}
