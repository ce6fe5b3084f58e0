import assert from "node:assert/strict";
import { toSrt, toVtt } from "./subtitles.ts";

Deno.test("toSrt() numbers cues and writes hours, minutes, seconds, milliseconds with a comma", () => {
  assert.equal(
    toSrt([{ startMs: 0, endMs: 3_723_456, text: "hello\n\nthere" }]),
    "1\n00:00:00,000 --> 01:02:03,456\nhello there\n\n",
  );
});

Deno.test("toVtt() starts with WEBVTT, uses a dot, and keeps an arrow in the text from ending the cue line", () => {
  assert.equal(
    toVtt([{ startMs: 1500, endMs: 2250, text: "a --> b" }]),
    "WEBVTT\n\n00:00:01.500 --> 00:00:02.250\na -> b\n\n",
  );
});

Deno.test("silence gives an empty but valid file in both formats", () => {
  assert.equal(toSrt([{ startMs: 0, endMs: 900, text: " " }]), "");
  assert.equal(toVtt([{ startMs: 0, endMs: 900, text: "" }]), "WEBVTT\n\n");
});
