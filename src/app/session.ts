/**
 * @module
 * One push-to-talk conversation. Commands move the domain state machine; a recording streams into
 * STT; on stop, the reply is generated and played (see reply.ts). Starting to record while a reply
 * plays (barge-in) or cancelling aborts the turn and drops queued audio: abort and swap.
 */
import { NobodyError } from "../domain/errors.ts";
import type { SessionEvent } from "../domain/events.ts";
import type { Persona } from "../domain/persona.ts";
import { fail, ok, type Result } from "../domain/result.ts";
import type { AudioMode, ClientMessage, TurnTimings } from "../domain/session_messages.ts";
import {
  type SessionInput,
  type SessionState,
  type Transition,
  transition,
} from "../domain/session_state.ts";
import { PreRoll } from "../audio/pre_roll.ts";
import type { AudioCapture, AudioSink } from "../ports/audio_io.ts";
import type { MetricsRepository } from "../ports/metrics_repository.ts";
import type { SttEngine, SttStream } from "../ports/stt_engine.ts";
import type { HistoryRepository } from "../ports/history_repository.ts";
import { type ReplyDeps, speakReply } from "./reply.ts";

/** Half a second of pre-roll covers a key press that lands after the first syllable. */
const PRE_ROLL_MS = 500;

export interface DeviceIo {
  readonly capture: AudioCapture;
  readonly sink: AudioSink;
}

export interface SessionDeps extends ReplyDeps {
  readonly stt: SttEngine;
  readonly history: HistoryRepository;
  readonly metrics: MetricsRepository;
  readonly persona: (id: string) => Persona | null;
  readonly voiceExists: (id: string) => boolean;
  readonly publish: (event: SessionEvent) => void;
  /** Monotonic ms, for latency figures. */
  readonly now: () => number;
  /** Wall-clock ms since the epoch, for stored timestamps. */
  readonly wallClock: () => number;
}

export interface SessionSettings {
  readonly id: string;
  readonly personaId: string | null;
  readonly voiceId: string | null;
  /** A phrase list restricts recognition (commands). */
  readonly phrases: readonly string[];
  readonly audio: AudioMode;
  /** Rate of socket audio in both directions. */
  readonly sampleRate: number;
}

export interface SessionSummary {
  readonly id: string;
  readonly state: SessionState;
  readonly audio: AudioMode;
  readonly sampleRate: number;
  readonly personaId: string | null;
  readonly voiceId: string | null;
  readonly lastTurn: TurnTimings | null;
}

interface Turn {
  readonly controller: AbortController;
  stt: SttStream | null;
  task: Promise<void> | null;
  /** When stop_recording arrived: the start of every latency figure. */
  stoppedAt: number;
}

export class Session {
  readonly id: string;
  #state: SessionState = "idle";
  #settings: SessionSettings;
  readonly #deps: SessionDeps;
  #device: DeviceIo | null;
  #socketSink: AudioSink | null = null;
  #turn: Turn | null = null;
  #lastTurn: TurnTimings | null = null;
  readonly #closed = new AbortController();
  readonly #preRoll: PreRoll;
  #capture: Promise<void> | null = null;

  constructor(settings: SessionSettings, deps: SessionDeps, device: DeviceIo | null) {
    this.id = settings.id;
    this.#settings = settings;
    this.#deps = deps;
    this.#device = device;
    this.#preRoll = new PreRoll(
      Math.round((device?.capture.sampleRate ?? 48_000) * PRE_ROLL_MS / 1000),
    );
    if (device) this.#capture = this.#pumpDevice(device.capture);
  }

  get state(): SessionState {
    return this.#state;
  }

  summary(): SessionSummary {
    const s = this.#settings;
    return {
      id: s.id,
      state: this.#state,
      audio: s.audio,
      sampleRate: this.#inputRate(),
      personaId: s.personaId,
      voiceId: s.voiceId,
      lastTurn: this.#lastTurn,
    };
  }

  /** Where socket audio goes; null discards it (no client listening). */
  attachSocket(sink: AudioSink | null): void {
    this.#socketSink = sink;
  }

  setSampleRate(rate: number): void {
    this.#settings = { ...this.#settings, sampleRate: rate };
  }

  #inputRate(): number {
    return this.#device ? this.#device.capture.sampleRate : this.#settings.sampleRate;
  }

  #sink(): AudioSink {
    return this.#device?.sink ?? this.#socketSink ?? discardSink(this.#settings.sampleRate);
  }

  #emit(event: SessionEvent): void {
    this.#deps.publish(event);
  }

  #apply(input: SessionInput): Result<Transition> {
    const result = transition(this.#state, input);
    if (!result.ok) return result;
    this.#state = result.value.to;
    this.#emit({
      type: "state_changed",
      sessionId: this.id,
      from: result.value.from,
      to: result.value.to,
    });
    return result;
  }

  /** Handles a command; an expected failure comes back as a value and changes nothing. */
  handle(message: ClientMessage): Result<void> {
    switch (message.type) {
      case "hello":
        if (message.audio && message.audio !== this.#settings.audio) {
          return fail(
            "invalid_request",
            `this session's audio is ${this.#settings.audio}; create a ${message.audio} session for that`,
          );
        }
        if (message.sample_rate) this.setSampleRate(message.sample_rate);
        return ok(undefined);
      case "start_recording":
        return this.#startRecording();
      case "stop_recording":
        return this.#stopRecording();
      case "cancel": {
        const result = this.#apply({ type: "cancel" });
        if (!result.ok) return result;
        this.#abortTurn();
        return ok(undefined);
      }
      case "set_persona":
        if (!this.#deps.persona(message.persona_id)) {
          return fail("not_found", `persona ${message.persona_id} does not exist`);
        }
        this.#settings = { ...this.#settings, personaId: message.persona_id };
        return ok(undefined);
      case "set_voice":
        if (message.voice_id !== null && !this.#deps.voiceExists(message.voice_id)) {
          return fail("not_found", `voice ${message.voice_id} does not exist`);
        }
        this.#settings = { ...this.#settings, voiceId: message.voice_id };
        return ok(undefined);
      default: {
        const unreachable: never = message;
        return fail("invalid_request", `unknown message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Socket audio while recording. */
  pushAudio(samples: Float32Array): Result<void> {
    if (this.#settings.audio !== "socket") {
      return fail("invalid_request", "this session records from the local microphone");
    }
    if (this.#state !== "recording" || !this.#turn?.stt) {
      return fail(
        "invalid_transition",
        "audio arrived while not recording; send start_recording first",
      );
    }
    this.#turn.stt.pushAudio(samples);
    return ok(undefined);
  }

  #abortTurn(): void {
    const turn = this.#turn;
    if (!turn) return;
    turn.controller.abort(new DOMException("turn interrupted", "AbortError"));
    turn.stt?.close();
    this.#sink().flush();
    this.#turn = null;
  }

  #startRecording(): Result<void> {
    const result = this.#apply({ type: "start_recording" });
    if (!result.ok) return result;
    if (result.value.bargeIn) this.#abortTurn();
    const controller = new AbortController();
    const stt = this.#deps.stt.stream({
      sampleRate: this.#inputRate(),
      phrases: this.#settings.phrases,
      signal: controller.signal,
    });
    const turn: Turn = { controller, stt, task: null, stoppedAt: 0 };
    this.#turn = turn;
    if (this.#device) stt.pushAudio(this.#preRoll.take());
    this.#emit({ type: "recording_started", sessionId: this.id });
    turn.task = this.#runTurn(turn);
    return ok(undefined);
  }

  #stopRecording(): Result<void> {
    const result = this.#apply({ type: "stop_recording" });
    if (!result.ok) return result;
    if (this.#turn) this.#turn.stoppedAt = this.#deps.now();
    this.#turn?.stt?.endInput();
    return ok(undefined);
  }

  /** Transcribes while recording, then replies. Stale turns (interrupted) never touch the state. */
  async #runTurn(turn: Turn): Promise<void> {
    const signal = turn.controller.signal;
    const live = () => !signal.aborted && this.#turn === turn;
    const marks = { end: 0, transcript: 0, token: 0, sentence: 0, audio: 0, played: 0 };
    try {
      let text = "";
      for await (const event of turn.stt!.events) {
        if (!live()) return;
        if (event.type === "partial") {
          this.#emit({
            type: "transcription",
            sessionId: this.id,
            text: event.text,
            isFinal: false,
          });
        } else {
          text = event.text.trim();
        }
      }
      if (!live()) return;
      marks.end = turn.stoppedAt || this.#deps.now();
      marks.transcript = this.#deps.now();
      turn.stt = null;
      this.#emit({ type: "transcription", sessionId: this.id, text, isFinal: true });
      if (!text) {
        this.#apply({ type: "turn_ended" });
        return;
      }
      const persona = this.#settings.personaId
        ? this.#deps.persona(this.#settings.personaId)
        : null;
      if (!persona) {
        throw new NobodyError(
          "invalid_request",
          "this session has no persona: send set_persona first",
        );
      }
      const sink = this.#sink();
      const reply = await speakReply(this.#deps, {
        persona,
        voiceId: this.#settings.voiceId,
        transcript: text,
        sink,
        signal,
        events: {
          onToken: (token) => {
            if (!live()) return;
            marks.token ||= this.#deps.now();
            this.#emit({ type: "llm_response", sessionId: this.id, text: token });
          },
          onSentence: () => {
            if (!live() || marks.sentence) return;
            marks.sentence = this.#deps.now();
            this.#apply({ type: "response_ready" });
          },
          onFirstAudio: () => {
            if (!live()) return;
            marks.audio = this.#deps.now();
            marks.played = marks.audio + sink.latencyMs();
            this.#apply({ type: "playback_started" });
            this.#emit({ type: "playback_started", sessionId: this.id });
          },
        },
      });
      // Only completed replies enter the history; an interrupted one never reached the listener.
      const at = this.#deps.wallClock();
      this.#deps.history.append(persona.id, [
        { role: "user", content: text, at },
        { role: "assistant", content: reply, at },
      ]);
      this.#record(persona.id, marks);
      if (!live()) return;
      if (!marks.audio) {
        this.#apply({ type: "turn_ended" });
        return;
      }
      await sink.finish({ signal });
      if (!live()) return;
      this.#apply({ type: "playback_complete" });
      this.#emit({ type: "playback_complete", sessionId: this.id });
      this.#turn = null;
    } catch (error) {
      if (!live()) return;
      const failure = error instanceof NobodyError
        ? error
        : new NobodyError("internal", `the turn failed: ${(error as Error).message ?? error}`);
      this.#emit({
        type: "error",
        sessionId: this.id,
        code: failure.code,
        message: failure.message,
      });
      this.#sink().flush();
      this.#apply({ type: "turn_ended" });
      this.#turn = null;
    }
  }

  #record(personaId: string, marks: Record<string, number>): void {
    const since = (mark: number) => (mark ? Math.max(0, mark - marks.end) : null);
    const timings: TurnTimings = {
      transcriptMs: since(marks.transcript),
      firstTokenMs: since(marks.token),
      firstSentenceMs: since(marks.sentence),
      firstAudioMs: since(marks.audio),
      firstPlayedMs: since(marks.played),
    };
    this.#lastTurn = timings;
    this.#deps.metrics.record({
      sessionId: this.id,
      personaId,
      at: this.#deps.wallClock(),
      timings,
    });
    this.#emit({ type: "turn_metrics", sessionId: this.id, timings });
  }

  /** Feeds the microphone to the recording turn, or to the pre-roll while idle. */
  async #pumpDevice(capture: AudioCapture): Promise<void> {
    for await (const frame of capture.frames({ signal: this.#closed.signal })) {
      const stt = this.#state === "recording" ? this.#turn?.stt : null;
      if (stt) stt.pushAudio(frame);
      else this.#preRoll.push(frame);
    }
  }

  async close(): Promise<void> {
    this.#closed.abort();
    const task = this.#turn?.task;
    this.#abortTurn();
    if (this.#state !== "idle") this.#apply({ type: "cancel" });
    await Promise.all([task, this.#capture]);
  }
}

function discardSink(sampleRate: number): AudioSink {
  return {
    sampleRate,
    write: () => Promise.resolve(),
    finish: () => Promise.resolve(),
    flush: () => {},
    latencyMs: () => 0,
  };
}
