/**
 * The dashboard's message types are the server's, spelled as the wire spells them. These checks
 * are type-level (deno check fails on a drift) and runtime (what the server sends has exactly the
 * keys the dashboard's type names).
 */
import assert from "node:assert/strict";
import type { ServerMessage, TurnTimings } from "../ui/src/types.ts";
import { toWire, trainingWire } from "../src/http/session_wire.ts";
import { toWireCase } from "../src/http/wire_case.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;
type Keys<T extends ServerMessage["type"]> = keyof Extract<ServerMessage, { type: T }>;
const expect = <T extends true>() => {};

// The two drifts the review found: hello without `audio`, training_progress without fields.
expect<Equal<Keys<"hello">, "type" | "session_id" | "state" | "sample_rate" | "audio">>();
expect<
  Equal<Keys<"training_progress">, "type" | "job_id" | "voice_id" | "stage" | "percent" | "message">
>();
expect<
  Equal<
    keyof TurnTimings,
    | "transcript_ms"
    | "first_token_ms"
    | "first_sentence_ms"
    | "first_audio_ms"
    | "first_played_ms"
    | "speech_end_ms"
  >
>();

Deno.test("wire types: what the server sends has the keys the dashboard's types name", () => {
  const timings = {
    transcriptMs: 1,
    firstTokenMs: 2,
    firstSentenceMs: 3,
    firstAudioMs: 4,
    firstPlayedMs: 5,
    speechEndMs: 6,
  };
  const metrics = toWireCase(
    toWire({ type: "turn_metrics", sessionId: "s", timings } as never),
  ) as {
    timings: TurnTimings;
  };
  const want: (keyof TurnTimings)[] = [
    "transcript_ms",
    "first_token_ms",
    "first_sentence_ms",
    "first_audio_ms",
    "first_played_ms",
    "speech_end_ms",
  ];
  assert.deepEqual(Object.keys(metrics.timings).sort(), want.sort());

  const progress = toWireCase(trainingWire({
    type: "training_progress",
    jobId: "job_x",
    voiceId: "voice_y",
    stage: "fitting",
    percent: 50,
    message: "half way",
  } as never)) as Extract<ServerMessage, { type: "training_progress" }>;
  const fields: Keys<"training_progress">[] = [
    "type",
    "job_id",
    "voice_id",
    "stage",
    "percent",
    "message",
  ];
  assert.deepEqual(Object.keys(progress).sort(), [...fields].sort());
});
