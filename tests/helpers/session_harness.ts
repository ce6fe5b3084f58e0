/**
 * @module
 * A frames-in, events-out harness for {@linkcode Session} with fake engines (after pipecat's
 * `run_test`): scripted STT, an LLM whose tokens come at a set pace and whose abort is observed, a
 * TTS that speaks each sentence as one chunk, and sinks that record what the listener got. Tests
 * state a case in a few lines and bound every wait.
 */
import type { TurnMode } from "../../src/domain/session_messages.ts";
import { AsyncQueue } from "../../src/lib/async_queue.ts";
import type { ChatMessage } from "../../src/domain/conversation.ts";
import type { SessionEvent } from "../../src/domain/events.ts";
import type { Persona } from "../../src/domain/persona.ts";
import type { Stage } from "../../src/domain/turn.ts";
import type { AudioCapture, AudioSink } from "../../src/ports/audio_io.ts";
import type { LlmMessage, LlmProvider } from "../../src/ports/llm_provider.ts";
import type { SttEngine, SttEvent } from "../../src/ports/stt_engine.ts";
import type { AudioChunk, TtsEngine } from "../../src/ports/tts_engine.ts";
import { type DeviceIo, Session, type SessionDeps } from "../../src/app/session.ts";

export const PERSONA: Persona = {
  id: "persona_aaaaaaaaaaaaaaaaaaaa",
  name: "Ada",
  systemPrompt: "Be brief.",
  llm: { provider: "ollama", model: "m", baseUrl: null, temperature: null, think: null },
  voiceId: null,
  createdAt: 0,
  updatedAt: 0,
};

export interface SttScript {
  /** The final transcript of every turn (or one per turn, in order). */
  readonly finals: string | readonly string[];
  /** Never finish: the worker hangs. */
  readonly hang?: boolean;
  /** Fail the stream after endInput, as a worker that died does. */
  readonly fail?: Error;
}

export interface LlmScript {
  /** The reply, split into tokens at spaces. */
  readonly reply: string;
  readonly tokenDelayMs?: number;
  /** Wait this long before the first token. */
  readonly firstDelayMs?: number;
}

/** What the LLM saw and how its requests ended. */
export interface LlmRecord {
  readonly messages: readonly LlmMessage[];
  aborted: boolean;
  tokensSent: number;
}

/** A sink that records what reached it; `finishMs` is how long the tail takes to be heard. */
export class RecordingSink implements AudioSink {
  readonly sampleRate = 16_000;
  readonly writes: Float32Array[] = [];
  flushes = 0;
  finishMs = 0;

  write(samples: Float32Array): Promise<void> {
    this.writes.push(samples);
    return Promise.resolve();
  }

  async finish(options: { signal?: AbortSignal } = {}): Promise<void> {
    await sleep(this.finishMs, options.signal);
  }

  flush(): void {
    this.flushes++;
  }

  latencyMs(): number {
    return 0;
  }

  get samples(): number {
    return this.writes.reduce((n, w) => n + w.length, 0);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

export interface Harness {
  readonly session: Session;
  readonly events: SessionEvent[];
  readonly llm: LlmRecord[];
  readonly history: ChatMessage[];
  readonly ttsClosed: () => number;
  /** The voice of every TTS stream opened, in order. */
  readonly ttsOpened: (string | null | undefined)[];
  /** The speakerState each STT stream was opened with, in order (turn n's final gives [n]). */
  readonly sttStates: (Uint8Array | undefined)[];
  /** Events of these types, in order ("state:idle" for a state change to idle). */
  seen(...types: string[]): string[];
  /** Resolves once `predicate` holds for an event; fails after `ms`. */
  until(predicate: (e: SessionEvent) => boolean, ms?: number): Promise<void>;
  /** A whole push-to-talk press: start, a frame of audio, stop. */
  press(): void;
  close(): Promise<void>;
}

export function sessionHarness(options: {
  stt: SttScript;
  llm?: LlmScript;
  sinks?: RecordingSink[];
  device?: { sink: RecordingSink };
  deadlineMs?: Partial<Record<Stage, number>>;
  history?: ChatMessage[];
  persona?: Persona | null;
  mode?: TurnMode;
  cleanup?: boolean;
  /** Hands-free listening: turns start on speech and end after `endOfSpeechMs` of silence. */
  handsFree?: { endOfSpeechMs: number; bargeInByVoice?: boolean };
}): Harness {
  const events: SessionEvent[] = [];
  const waiters = new Set<() => void>();
  const llm: LlmRecord[] = [];
  const history: ChatMessage[] = [...options.history ?? []];
  let ttsClosed = 0;
  const ttsOpened: (string | null | undefined)[] = [];
  let turn = 0;
  const finals = typeof options.stt.finals === "string" ? null : options.stt.finals;

  const sttStates: (Uint8Array | undefined)[] = [];
  const stt: SttEngine = {
    stream: ({ signal, speakerState }) => {
      sttStates.push(speakerState);
      const speakerAfter = Uint8Array.of(sttStates.length);
      const text = finals ? finals[turn++] ?? "" : options.stt.finals as string;
      const queue = new AsyncQueue<SttEvent>();
      let inputEnded = false;
      let settled = false;
      const settle = (how: () => void) => {
        if (settled) return;
        settled = true;
        how();
      };
      signal?.addEventListener("abort", () => settle(() => queue.fail(signal.reason)), {
        once: true,
      });
      return {
        pushAudio: () => {
          if (!inputEnded) {
            queue.push({ type: "partial", text: text.split(" ")[0] ?? "", audioMs: 20 });
          }
        },
        endInput: () => {
          if (inputEnded) return;
          inputEnded = true;
          if (options.stt.hang) return; // a worker that never answers
          const fail = options.stt.fail;
          if (fail) return settle(() => queue.fail(fail));
          settle(() => {
            queue.push({
              type: "final",
              text,
              audioMs: 1000,
              endOfTurnProbability: 1,
              speakerState: speakerAfter,
            });
            queue.end();
          });
        },
        close: () => settle(() => queue.end()),
        events: queue,
      };
    },
  };

  const provider: LlmProvider = {
    async *chat(messages, { signal }) {
      const record: LlmRecord = { messages, aborted: false, tokensSent: 0 };
      llm.push(record);
      signal?.addEventListener("abort", () => record.aborted = true, { once: true });
      const script = options.llm ?? { reply: "" };
      await sleep(script.firstDelayMs ?? 0, signal);
      for (const token of script.reply.match(/\S+\s*/g) ?? []) {
        if (record.tokensSent > 0) await sleep(script.tokenDelayMs ?? 0, signal);
        record.tokensSent++;
        yield token;
      }
    },
  };

  const tts: TtsEngine = {
    synthesize: () => {
      throw new Error("not used by sessions");
    },
    stream: ({ signal, voiceId } = {}) => {
      ttsOpened.push(voiceId);
      const queue = new AsyncQueue<AudioChunk>();
      let index = 0;
      let open = true;
      signal?.addEventListener("abort", () => {
        if (open) {
          open = false;
          queue.fail(signal.reason);
        }
      }, { once: true });
      return {
        pushText: () => {
          if (open) {
            queue.push({ samples: new Float32Array(160), sampleRate: 16_000, textIndex: index++ });
          }
        },
        endInput: () => {
          if (open) {
            open = false;
            queue.end();
          }
        },
        close: () => {
          ttsClosed++;
          if (open) {
            open = false;
            queue.end();
          }
        },
        chunks: queue,
      };
    },
  };

  const persona = options.persona === undefined ? PERSONA : options.persona;
  const deps: SessionDeps = {
    stt,
    tts,
    llm: () => provider,
    history: {
      append: (_id, messages) => void history.push(...messages),
      recent: (personaId, limit) => ({ personaId, messages: history.slice(-limit) }),
      clear: () => 0,
    },
    metrics: { record: () => {}, recent: () => [] } as unknown as SessionDeps["metrics"],
    persona: (id) => (persona && id === persona.id ? persona : null),
    voiceExists: () => true,
    publish: (event) => {
      events.push(event);
      for (const wake of [...waiters]) wake();
    },
    now: () => performance.now(),
    wallClock: () => Date.now(),
    deadlineMs: (stage: Stage, ms: number) => options.deadlineMs?.[stage] ?? ms,
  };
  const device: DeviceIo | null = options.device
    ? { capture: silentCapture(), sink: options.device.sink }
    : null;
  const session = new Session(
    {
      id: "session_aaaaaaaaaaaaaaaaaaaa",
      personaId: persona?.id ?? null,
      voiceId: null,
      phrases: [],
      audio: device ? "device" : "socket",
      sampleRate: 16_000,
      mode: options.mode ?? "conversation",
      cleanup: options.cleanup ?? false,
      handsFree: options.handsFree !== undefined,
      endOfSpeechMs: options.handsFree?.endOfSpeechMs ?? null,
      bargeInByVoice: options.handsFree?.bargeInByVoice ?? false,
    },
    deps,
    device,
  );
  for (const sink of options.sinks ?? []) session.attachSocket(sink);

  const label = (e: SessionEvent) => e.type === "state_changed" ? `state:${e.to}` : e.type;
  return {
    session,
    events,
    llm,
    history,
    ttsClosed: () => ttsClosed,
    ttsOpened,
    sttStates,
    seen: (...types) =>
      events.map(label).filter((l) => types.some((t) => l === t || l.startsWith(`${t}:`))),
    until: (predicate, ms = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (events.some(predicate)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no matching event within ${ms} ms; saw ${events.map(label).join(", ")}`),
          );
        }, ms);
        const check = () => {
          if (!events.some(predicate)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
    press: () => {
      session.handle({ type: "start_recording" });
      if (!device) session.pushAudio(new Float32Array(320));
      session.handle({ type: "stop_recording" });
    },
    close: () => session.close(),
  };
}

/** A microphone that delivers silence every 20 ms until the session closes. */
function silentCapture(): AudioCapture {
  return {
    sampleRate: 16_000,
    discard: () => {},
    async *frames({ signal }) {
      while (!signal.aborted) {
        await sleep(20, signal).catch(() => {});
        if (!signal.aborted) yield new Float32Array(320);
      }
    },
  };
}
