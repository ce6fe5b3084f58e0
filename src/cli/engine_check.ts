/**
 * @module
 * `nobody doctor --engines`: a real round trip through whichever engines the workers chose. It
 * speaks a sentence, transcribes it back, clones a quick voice and speaks with it, and prints each
 * engine's time to first audio, real-time factor and the round trip's word accuracy. Nothing ships
 * as audio in the binary, so the clone's sample is the installed TTS engine's own speech: it proves
 * the training path works, not how well a person is cloned (bench/speech.ts measures that).
 */
import type { SttEngine } from "../ports/stt_engine.ts";
import type { TtsEngine } from "../ports/tts_engine.ts";
import type { Trainer } from "../ports/trainer.ts";
import type { WorkerStatus } from "../ports/worker_status.ts";
import { transcribe } from "../app/transcribe.ts";
import { encodeWav16 } from "../audio/wav.ts";
import { concatSamples } from "../audio/samples.ts";
import { makeId } from "../domain/ids.ts";

export const CHECK_SENTENCE =
  "good morning i would like to record a few sentences so that my voice can be measured";
const RATE = 16_000;
/** A little slower than usual: small recognizers follow synthetic speech better so. */
const SPEED = 0.8;

/** The workers, started for the check and stopped after it. */
export interface EngineRig {
  readonly stt: SttEngine;
  readonly tts: TtsEngine;
  readonly trainer: Trainer;
  /** Where the trainer writes voices, as the TTS worker reads them. */
  readonly voicesDir: string;
  /** A private folder for the check's sample. */
  readonly scratchDir: string;
  ready(signal?: AbortSignal): Promise<void>;
  status(): readonly WorkerStatus[];
  stop(): Promise<void>;
}

export interface EngineLine {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

interface Spoken {
  readonly samples: Float32Array;
  readonly firstAudioMs: number;
  readonly totalMs: number;
}

async function speak(
  tts: TtsEngine,
  voiceId: string | null,
  signal?: AbortSignal,
): Promise<Spoken> {
  const started = performance.now();
  let firstAudioMs = -1;
  const parts: Float32Array[] = [];
  for await (
    const chunk of tts.synthesize(CHECK_SENTENCE, {
      voiceId,
      sampleRate: RATE,
      speed: SPEED,
      signal,
    })
  ) {
    if (firstAudioMs < 0) firstAudioMs = performance.now() - started;
    parts.push(chunk.samples);
  }
  const samples = concatSamples(parts);
  return { samples, firstAudioMs, totalMs: performance.now() - started };
}

/** Share of the reference words heard, in order (1 - word error rate, at least 0). */
export function wordAccuracy(reference: string, heard: string): number {
  const ref = reference.toLowerCase().split(/\s+/).filter(Boolean);
  const hyp = heard.toLowerCase().replace(/[^a-z' ]/g, " ").split(/\s+/).filter(Boolean);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      row.push(Math.min(
        previous[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1),
        previous[j] + 1,
        row[j - 1] + 1,
      ));
    }
    previous = row;
  }
  return Math.max(0, 1 - previous[hyp.length] / ref.length);
}

const seconds = (samples: Float32Array) => samples.length / RATE;
const ms = (x: number) => `${Math.round(x)} ms`;

/** A pool member that has said what it runs (another may still be starting). */
function engineOf(status: readonly WorkerStatus[], name: string): WorkerStatus | undefined {
  return status.find((s) => s.name === name && s.engine !== null) ??
    status.find((s) => s.name === name);
}

/** What a worker says about its engine, with the reasons it passed others over. */
function describe(worker: WorkerStatus | undefined): string {
  if (!worker) return "not running";
  const detail = worker.engineDetail ?? worker.engine ?? "unknown engine";
  const passed = worker.fallbacks.length ? ` (passed over: ${worker.fallbacks.join("; ")})` : "";
  return `${detail}${passed}`;
}

/** Pocket TTS without its gated voice-cloning weights speaks, but cannot clone: say so. */
export function gatedCloningNote(status: readonly WorkerStatus[]): string | null {
  const tts = engineOf(status, "tts");
  const text = `${tts?.engineDetail ?? ""} ${tts?.fallbacks.join(" ") ?? ""}`;
  if (!/pocket/i.test(text) || !/without voice cloning/i.test(text)) return null;
  return "Pocket TTS loaded WITHOUT voice cloning: its cloning weights are gated on Hugging Face. " +
    "Accept the model's terms at https://huggingface.co/kyutai/pocket-tts, run `huggingface-cli login`, " +
    "and restart nobody; until then cloned voices are refused, never silently replaced.";
}

export async function engineCheck(
  rig: EngineRig,
  options: { signal?: AbortSignal } = {},
): Promise<EngineLine[]> {
  const { signal } = options;
  await rig.ready(signal);
  const status = rig.status();
  const lines: EngineLine[] = [
    { name: "text-to-speech engine", ok: true, detail: describe(engineOf(status, "tts")) },
    { name: "speech-to-text engine", ok: true, detail: describe(engineOf(status, "stt")) },
    { name: "voice trainer", ok: true, detail: describe(engineOf(status, "trainer")) },
  ];
  const gated = gatedCloningNote(status);
  if (gated) lines.push({ name: "voice cloning weights", ok: false, detail: gated });

  const spoken = await speak(rig.tts, null, signal);
  const audio = seconds(spoken.samples);
  const ttsOk = audio > 0.5;
  lines.push({
    name: "speak",
    ok: ttsOk,
    detail: ttsOk
      ? `first audio ${ms(spoken.firstAudioMs)}, ${audio.toFixed(1)} s of speech in ${
        ms(spoken.totalMs)
      } (real-time factor ${(spoken.totalMs / 1000 / audio).toFixed(2)})`
      : "the engine produced no speech",
  });
  if (!ttsOk) return lines;

  const heardAt = performance.now();
  const heard = await transcribe(rig.stt, { samples: spoken.samples, sampleRate: RATE }, {
    signal,
  });
  const sttMs = performance.now() - heardAt;
  const accuracy = wordAccuracy(CHECK_SENTENCE, heard);
  lines.push({
    name: "transcribe it back",
    // Small offline recognizers hear synthetic speech poorly: any word heard proves the path.
    ok: accuracy > 0,
    detail: `${ms(sttMs)} (real-time factor ${(sttMs / 1000 / audio).toFixed(2)}), word accuracy ${
      Math.round(accuracy * 100)
    } %: "${heard}"`,
  });

  const voiceId = makeId("voice", crypto.getRandomValues(new Uint8Array(20)));
  const samplePath = `${rig.scratchDir}/check-sample.wav`;
  await Deno.writeFile(samplePath, encodeWav16(spoken.samples, RATE));
  const trainedAt = performance.now();
  try {
    for await (
      const _ of rig.trainer.train({
        jobId: makeId("job", crypto.getRandomValues(new Uint8Array(20))),
        voiceId,
        samplePaths: [samplePath],
        outputDir: `${rig.voicesDir}/${voiceId}`,
      }, { signal })
    ) { /* progress is not shown here */ }
    const trainMs = performance.now() - trainedAt;
    const cloned = await speak(rig.tts, voiceId, signal);
    lines.push({
      name: "clone a voice",
      ok: seconds(cloned.samples) > 0.5,
      detail: `trained in ${ms(trainMs)}; the clone's first audio ${ms(cloned.firstAudioMs)}`,
    });
  } catch (error) {
    lines.push({
      name: "clone a voice",
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
    });
  } finally {
    await Deno.remove(`${rig.voicesDir}/${voiceId}`, { recursive: true }).catch(() => {});
    await Deno.remove(samplePath).catch(() => {});
  }
  return lines;
}

export function engineReport(lines: readonly EngineLine[]): { text: string; ok: boolean } {
  const width = Math.max(...lines.map((l) => l.name.length));
  const text = lines.map((l) => `${l.ok ? "ok  " : "FAIL"}  ${l.name.padEnd(width)}  ${l.detail}`)
    .join("\n");
  return { text, ok: lines.every((l) => l.ok) };
}
