/**
 * @module
 * Speech measured through the running service on the Debian corpus ({@linkcode speechCorpus}):
 * transcripts (service and bare engine, word errors, repeat stability) and clones (median F0, F0
 * spread and speaking rate against the reference speaker, measured with Praat). Shared by
 * tests/speech_corpus_test.ts (which asserts the goals that are met) and bench/speech.ts (which
 * reports every figure).
 */
import { fileURLToPath } from "node:url";
import { type Clip, type Speaker, syllables, wordErrors } from "./speech_corpus.ts";
import { decode16k, joinClips, praatVoice, type VoiceMeasure } from "./praat.ts";
import { encodeWav16 } from "../../src/audio/wav.ts";
import { waitUntil } from "./wait.ts";
import { WsClient } from "./conversation_harness.ts";

const BARE = fileURLToPath(new URL("./bare_pocketsphinx.py", import.meta.url));

export interface Service {
  readonly url: string;
  readonly token: string;
}

function auth(service: Service): Record<string, string> {
  return { authorization: `Bearer ${service.token}` };
}

/** Every request is bounded: a hung service fails the test instead of hanging CI. */
const bounded = () => AbortSignal.timeout(120_000);

export async function serviceTranscript(service: Service, path: string): Promise<string> {
  const form = new FormData();
  form.append("model", "whisper-1");
  form.append("file", new Blob([await Deno.readFile(path)]), path.split("/").pop());
  const response = await fetch(`${service.url}/v1/audio/transcriptions`, {
    method: "POST",
    headers: auth(service),
    body: form,
    signal: bounded(),
  });
  const body = await response.json();
  if (response.status !== 200) {
    throw new Error(`transcription ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.text;
}

/**
 * Each clip spoken as one push-to-talk dictation turn of a single socket session, in order, as a
 * person talks to the service: the engine learns the speaker from the first turns.
 */
export async function sessionTranscripts(
  service: Service,
  clips: readonly Clip[],
): Promise<string[]> {
  const rate = 16_000;
  const created = await fetch(`${service.url}/sessions`, {
    method: "POST",
    headers: { ...auth(service), "content-type": "application/json" },
    body: JSON.stringify({ audio: "socket", sample_rate: rate, mode: "dictation" }),
    signal: bounded(),
  });
  const session = await created.json();
  if (created.status !== 201) throw new Error(`session: ${JSON.stringify(session)}`);
  const socket = new WebSocket(
    `${service.url.replace("http", "ws")}/ws/session/${session.id}?token=${service.token}`,
  );
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error("the session socket did not open"));
  });
  const ws = new WsClient(socket);
  try {
    ws.send({ type: "hello", sample_rate: rate });
    const texts: string[] = [];
    for (const clip of clips) {
      const from = ws.speak(await decode16k(clip.path), rate);
      const at = await ws.waitFor((m) => m.type === "dictation" || m.type === "error", {
        from,
        ms: 60_000,
      });
      const event = ws.eventAt(at);
      if (event.type === "error") throw new Error(`turn: ${JSON.stringify(event)}`);
      texts.push(String(event.text));
    }
    return texts;
  } finally {
    await ws.close();
  }
}

/** The bare engine's whole-clip transcripts (clips decoded to 16 kHz by ffmpeg first). */
export async function bareTranscripts(clips: readonly Clip[], dir: string): Promise<string[]> {
  const paths: string[] = [];
  for (const [i, clip] of clips.entries()) {
    const path = `${dir}/bare-${i}.wav`;
    await Deno.writeFile(path, encodeWav16(await decode16k(clip.path), 16_000));
    paths.push(path);
  }
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [BARE, ...paths],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(600_000),
  }).output();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

export function wer(clips: readonly Clip[], transcripts: readonly string[]): number {
  let errors = 0;
  let words = 0;
  clips.forEach((clip, i) => {
    const e = wordErrors(clip.text, transcripts[i]);
    errors += e.errors;
    words += e.words;
  });
  return errors / words;
}

export interface CloneFigures {
  /** Clone minus reference median F0, cents. */
  readonly f0Cents: number;
  /** Clone F0 spread over the reference's. */
  readonly spreadRatio: number;
  /** Clone syllables per second over the reference's (same text, so sounding time inverted). */
  readonly rateRatio: number;
}

export function compare(reference: VoiceMeasure, other: VoiceMeasure): CloneFigures {
  return {
    f0Cents: 1200 * Math.log2(other.medianF0 / reference.medianF0),
    spreadRatio: other.spreadCents / reference.spreadCents,
    rateRatio: reference.soundingSeconds / other.soundingSeconds,
  };
}

export async function measureReference(speaker: Speaker, dir: string): Promise<VoiceMeasure> {
  return await praatVoice(
    await joinClips(speaker.clips.map((c) => c.path), `${dir}/${speaker.id}-ref.wav`),
  );
}

/** Creates a voice from the speaker's clips and trains it; returns its id. */
export async function trainClone(service: Service, speaker: Speaker): Promise<string> {
  const json = { ...auth(service), "content-type": "application/json" };
  const created = await fetch(`${service.url}/voices`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ name: `corpus ${speaker.id}` }),
    signal: bounded(),
  });
  const voice = await created.json();
  if (created.status !== 201) throw new Error(`voice: ${JSON.stringify(voice)}`);
  for (const clip of speaker.clips) {
    const form = new FormData();
    form.append("file", new Blob([await Deno.readFile(clip.path)]), clip.path.split("/").pop());
    const added = await fetch(`${service.url}/voices/${voice.id}/samples`, {
      method: "POST",
      headers: auth(service),
      body: form,
      signal: bounded(),
    });
    const body = await added.json();
    if (added.status !== 201) throw new Error(`sample ${clip.path}: ${JSON.stringify(body)}`);
  }
  const started = await fetch(`${service.url}/voices/${voice.id}/train`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ consent: true }),
    signal: bounded(),
  });
  const job = await started.json();
  if (started.status !== 202) throw new Error(`train: ${JSON.stringify(job)}`);
  const done = await waitUntil(`training ${speaker.id}`, async () => {
    const state = await (await fetch(`${service.url}/training/${job.id}`, {
      headers: auth(service),
      signal: bounded(),
    }))
      .json();
    return state.status === "running" ? null : state;
  }, { ms: 180_000, everyMs: 200 });
  if (done.status !== "succeeded") {
    throw new Error(`training ${speaker.id}: ${JSON.stringify(done)}`);
  }
  return voice.id;
}

/** The speaker's texts spoken by `voice` ("default" for the default voice), joined and measured. */
export async function measureSpoken(
  service: Service,
  speaker: Speaker,
  voice: string,
  dir: string,
): Promise<VoiceMeasure> {
  const paths: string[] = [];
  for (const [i, clip] of speaker.clips.entries()) {
    const response = await fetch(`${service.url}/v1/audio/speech`, {
      method: "POST",
      headers: { ...auth(service), "content-type": "application/json" },
      body: JSON.stringify({ model: "tts-1", input: clip.text, voice, response_format: "wav" }),
      signal: bounded(),
    });
    if (response.status !== 200) {
      throw new Error(`speech ${response.status}: ${await response.text()}`);
    }
    const path = `${dir}/${speaker.id}-${voice}-${i}.wav`;
    await Deno.writeFile(path, new Uint8Array(await response.arrayBuffer()));
    paths.push(path);
  }
  return await praatVoice(await joinClips(paths, `${dir}/${speaker.id}-${voice}.wav`));
}

export function syllablesOf(speaker: Speaker): number {
  return speaker.clips.reduce((n, c) => n + syllables(c.text), 0);
}
