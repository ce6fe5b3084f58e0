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
import type {
  AudioMode,
  ClientMessage,
  TurnMode,
  TurnTimings,
} from "../domain/session_messages.ts";
import { tidyDictation } from "./dictation_cleanup.ts";
import type { SessionState } from "../domain/session_state.ts";
import {
  type CoreInput,
  type Effect,
  INITIAL_CORE,
  type SessionCore,
  type Stage,
  step,
} from "../domain/turn.ts";
import { PreRoll } from "../audio/pre_roll.ts";
import { VoiceTrigger } from "./voice_trigger.ts";
import { fanOut } from "./fan_out.ts";
import type { AudioCapture, AudioSink, DeviceIo } from "../ports/audio_io.ts";

export type { DeviceIo };
import type { MetricsRepository } from "../ports/metrics_repository.ts";
import type { SttEngine, SttStream } from "../ports/stt_engine.ts";
import type { HistoryRepository } from "../ports/history_repository.ts";
import { type ReplyDeps, speakReply } from "./reply.ts";
import { EarlyVoice } from "./early_voice.ts";

/** Aborted work settles in milliseconds; this bounds a close behind an engine that hangs. */
const CLOSE_WAIT_MS = 5_000;
/** Half a second of pre-roll covers a key press that lands after the first syllable. */
const PRE_ROLL_MS = 500;

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
  /** How long a stage may take, given the core's limit (tests shorten them). */
  readonly deadlineMs?: (stage: Stage, ms: number) => number;
}

export interface SessionSettings {
  readonly id: string;
  readonly personaId: string | null;
  readonly voiceId: string | null;
  /** A phrase list restricts recognition (commands) in conversation turns. */
  readonly phrases: readonly string[];
  /** The vocabulary of dictation turns; empty: free text. */
  readonly dictationPhrases?: readonly string[];
  readonly audio: AudioMode;
  /** Rate of socket audio in both directions. */
  readonly sampleRate: number;
  /** What turns are for unless start_recording says; dictation may tidy its text. */
  readonly mode: TurnMode;
  readonly cleanup: boolean;
  /** A recording ends after this much silence; null: only stop_recording ends it. */
  readonly endOfSpeechMs?: number | null;
  /** Turns start when speech is heard, without a key. */
  readonly handsFree?: boolean;
  /** Hands-free: speaking over a reply interrupts it. */
  readonly bargeInByVoice?: boolean;
}

export interface SessionSummary {
  readonly id: string;
  readonly state: SessionState;
  readonly audio: AudioMode;
  readonly sampleRate: number;
  readonly personaId: string | null;
  readonly voiceId: string | null;
  readonly mode: TurnMode;
  readonly lastTurn: TurnTimings | null;
}

/** What one turn runs: everything it starts stops on its controller. */
interface TurnRun {
  readonly turn: number;
  readonly controller: AbortController;
  stt: SttStream | null;
  /** The reply's TTS stream, opened with the turn (see early_voice.ts). */
  voice: EarlyVoice | null;
  personaId: string | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Monotonic ms of the turn's milestones, for its latency figures. */
  readonly marks: {
    end: number;
    /** The last voiced frame, when a pause ended the recording. */
    speechEnd: number;
    transcript: number;
    token: number;
    sentence: number;
    audio: number;
    played: number;
  };
}

/**
 * The runner of a session's pure core (domain/turn.ts): commands and pipeline reports go in
 * through {@linkcode dispatch}, and the effects the core returns are performed here.
 */
export class Session {
  readonly id: string;
  #core: SessionCore = INITIAL_CORE;
  #settings: SessionSettings;
  readonly #deps: SessionDeps;
  #device: DeviceIo | null;
  readonly #socketSinks = new Set<AudioSink>();
  #run: TurnRun | null = null;
  #lastTurn: TurnTimings | null = null;
  readonly #closed = new AbortController();
  readonly #preRoll: PreRoll;
  /** Hands-free and pause-ended turns listen for speech here; null when keys do it all. */
  #voice: VoiceTrigger | null = null;
  #capture: Promise<void> | null = null;
  /** What STT learned of this session's voice and microphone (see SttStreamOptions). */
  #speakerState: Uint8Array | undefined;
  readonly #tasks = new Set<Promise<void>>();

  constructor(settings: SessionSettings, deps: SessionDeps, device: DeviceIo | null) {
    this.id = settings.id;
    this.#settings = settings;
    this.#deps = deps;
    this.#device = device;
    this.#preRoll = new PreRoll(
      Math.round((device?.capture.sampleRate ?? 48_000) * PRE_ROLL_MS / 1000),
    );
    this.#voice = this.#makeTrigger();
    if (device) this.#capture = this.#pumpDevice(device.capture);
  }

  get state(): SessionState {
    return this.#core.state;
  }

  summary(): SessionSummary {
    const s = this.#settings;
    return {
      id: s.id,
      state: this.#core.state,
      audio: s.audio,
      sampleRate: this.#inputRate(),
      personaId: s.personaId,
      voiceId: s.voiceId,
      mode: s.mode,
      lastTurn: this.#lastTurn,
    };
  }

  /** Adds a client that hears the replies; returns its removal. Every attached client gets them. */
  attachSocket(sink: AudioSink): () => void {
    this.#socketSinks.add(sink);
    return () => this.#socketSinks.delete(sink);
  }

  /** Aborts when the session is closed (deleted): its sockets end. */
  get closedSignal(): AbortSignal {
    return this.#closed.signal;
  }

  get socketCount(): number {
    return this.#socketSinks.size;
  }

  setSampleRate(rate: number): void {
    // Another rate is another microphone: what was learned of the last one does not carry over.
    if (rate !== this.#settings.sampleRate) this.#speakerState = undefined;
    this.#settings = { ...this.#settings, sampleRate: rate };
    this.#voice = this.#makeTrigger();
  }

  #makeTrigger(): VoiceTrigger | null {
    const s = this.#settings;
    if (s.endOfSpeechMs == null) return null;
    return new VoiceTrigger({
      sampleRate: this.#inputRate(),
      silenceMs: s.endOfSpeechMs,
      handsFree: s.handsFree ?? false,
      bargeIn: s.bargeInByVoice ?? false,
    });
  }

  /** Every microphone frame passes here after STT has it (see voice_trigger.ts). */
  #listen(frame: Float32Array): void {
    const now = this.#deps.now();
    const trigger = this.#voice?.hear(frame, this.#core.state, now);
    if (trigger === "stop_recording" && this.#run) {
      this.#run.marks.speechEnd = now - this.#voice!.silenceMs;
      this.dispatch({ type: "stop_recording" });
    } else if (trigger === "start_recording") {
      this.handle({ type: "start_recording" });
    }
  }

  #inputRate(): number {
    return this.#device ? this.#device.capture.sampleRate : this.#settings.sampleRate;
  }

  #sink(): AudioSink {
    if (this.#device) return this.#device.sink;
    return fanOut([...this.#socketSinks], this.#settings.sampleRate);
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
        return this.dispatch({
          type: "start_recording",
          mode: message.mode ?? this.#settings.mode,
          cleanup: this.#settings.cleanup,
        });
      case "stop_recording":
      case "cancel":
        return this.dispatch({ type: message.type });
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
    const stt = this.#core.state === "recording" ? this.#run?.stt : null;
    if (!stt && !this.#settings.handsFree) {
      return fail(
        "invalid_transition",
        "audio arrived while not recording; send start_recording first",
      );
    }
    if (stt) stt.pushAudio(samples);
    else this.#preRoll.push(samples);
    this.#listen(samples);
    return ok(undefined);
  }

  /** Feeds the core one input and performs its effects. */
  dispatch(input: CoreInput): Result<void> {
    const result = step(this.#core, input);
    if (result.rejected) return fail(result.rejected.code, result.rejected.message);
    this.#core = result.core;
    for (const effect of result.effects) this.#perform(effect);
    if (this.#core.state === "idle") this.#run?.voice?.close();
    return ok(undefined);
  }

  #perform(effect: Effect): void {
    switch (effect.type) {
      case "emit":
        this.#deps.publish({ ...effect.event, sessionId: this.id } as SessionEvent);
        return;
      case "start_stt":
        return this.#startStt(effect.turn);
      case "end_stt_input":
        if (this.#run?.turn !== effect.turn) return;
        this.#run.marks.end = this.#deps.now();
        this.#run.stt?.endInput();
        return;
      case "start_reply":
        return this.#track(this.#reply(effect.turn, effect.transcript));
      case "start_cleanup":
        return this.#track(this.#cleanup(effect.turn, effect.transcript));
      case "finish_playback":
        return this.#track(this.#finishPlayback(effect.turn));
      case "abort_turn": {
        const run = this.#run;
        if (run?.turn !== effect.turn) return;
        run.controller.abort(new DOMException("turn interrupted", "AbortError"));
        run.stt?.close();
        clearTimeout(run.timer);
        return;
      }
      case "flush_audio":
        this.#sink().flush();
        return;
      case "save_history": {
        const personaId = this.#run?.personaId ?? this.#settings.personaId;
        if (!personaId || !this.#deps.persona(personaId)) return;
        const at = this.#deps.wallClock();
        const voiceId = this.#settings.voiceId ?? this.#deps.persona(personaId)?.voiceId ?? null;
        this.#deps.history.append(
          personaId,
          effect.entries.map((e) => ({ ...e, at, sessionId: this.id, voiceId })),
        );
        return;
      }
      case "record_metrics":
        if (this.#run?.turn === effect.turn) this.#record(this.#run);
        return;
      case "arm_deadline": {
        const run = this.#run;
        if (run?.turn !== effect.turn) return;
        clearTimeout(run.timer);
        const { turn, stage } = effect;
        const ms = this.#deps.deadlineMs?.(stage, effect.ms) ?? effect.ms;
        run.timer = setTimeout(() => this.dispatch({ type: "deadline", turn, stage }), ms);
        return;
      }
      case "clear_deadline":
        clearTimeout(this.#run?.timer);
        return;
      default: {
        const unreachable: never = effect;
        throw new Error(`unknown effect ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Work a turn runs in the background; its failure is reported to the core, never thrown. */
  #track(task: Promise<void>): void {
    this.#tasks.add(task);
    task.finally(() => this.#tasks.delete(task));
  }

  #fail(turn: number, error: unknown): void {
    const run = this.#run;
    if (run?.turn !== turn || run.controller.signal.aborted) return; // stopped on purpose
    const failure = error instanceof NobodyError
      ? error
      : new NobodyError("internal", `the turn failed: ${(error as Error)?.message ?? error}`);
    this.dispatch({
      type: "failed",
      turn,
      failure: { code: failure.code, message: failure.message },
    });
  }

  #startStt(turn: number): void {
    const controller = new AbortController();
    const stt = this.#deps.stt.stream({
      sampleRate: this.#inputRate(),
      phrases: this.#core.mode === "dictation"
        ? this.#settings.dictationPhrases ?? []
        : this.#settings.phrases,
      speakerState: this.#speakerState,
      signal: controller.signal,
    });
    const marks = {
      end: 0,
      speechEnd: 0,
      transcript: 0,
      token: 0,
      sentence: 0,
      audio: 0,
      played: 0,
    };
    const persona = this.#core.mode === "conversation" ? this.#persona() : null;
    const voice = persona
      ? new EarlyVoice(this.#deps.tts, {
        voiceId: this.#settings.voiceId ?? persona.voiceId,
        sampleRate: this.#sink().sampleRate,
        signal: controller.signal,
      })
      : null;
    this.#run = { turn, controller, stt, voice, personaId: null, timer: undefined, marks };
    // The pre-roll holds the half second before the press (or before speech was detected).
    if (this.#device || this.#settings.handsFree) stt.pushAudio(this.#preRoll.take());
    this.#voice?.reset();
    this.#track((async () => {
      try {
        let text = "";
        for await (const event of stt.events) {
          if (event.type === "partial") {
            this.dispatch({ type: "stt_partial", turn, text: event.text });
          } else {
            text = event.text;
            if (event.speakerState?.length) this.#speakerState = event.speakerState;
          }
        }
        marks.transcript = this.#deps.now();
        if (this.#run?.turn === turn) this.#run.stt = null;
        this.dispatch({ type: "stt_final", turn, text });
      } catch (error) {
        this.#fail(turn, error);
      }
    })());
  }

  #persona(): Persona | null {
    const id = this.#settings.personaId;
    return id ? this.#deps.persona(id) : null;
  }

  async #reply(turn: number, transcript: string): Promise<void> {
    const run = this.#run;
    if (run?.turn !== turn) return;
    const signal = run.controller.signal;
    try {
      const persona = this.#persona();
      if (!persona) {
        throw new NobodyError(
          "invalid_request",
          "this session has no persona: send set_persona first",
        );
      }
      run.personaId = persona.id;
      const sink = this.#sink();
      const { marks } = run;
      const voiceId = this.#settings.voiceId;
      const text = await speakReply(this.#deps, {
        persona,
        voiceId,
        transcript,
        sink,
        signal,
        tts: run.voice?.take(voiceId ?? persona.voiceId, sink.sampleRate),
        events: {
          onToken: (token) => {
            marks.token ||= this.#deps.now();
            this.dispatch({ type: "llm_token", turn, text: token });
          },
          onSentence: () => {
            if (marks.sentence) return;
            marks.sentence = this.#deps.now();
            this.dispatch({ type: "sentence_ready", turn });
          },
          onSentenceAudio: (sentence) => {
            if (!marks.audio) {
              marks.audio = this.#deps.now();
              marks.played = marks.audio + sink.latencyMs();
            }
            this.dispatch({ type: "sentence_audio", turn, text: sentence });
          },
        },
      });
      this.dispatch({ type: "reply_written", turn, text, remainingMs: sink.latencyMs() });
    } catch (error) {
      this.#fail(turn, error);
    }
  }

  /** Dictation's optional tidy-up: the persona's model fixes punctuation and filler words. */
  async #cleanup(turn: number, transcript: string): Promise<void> {
    const run = this.#run;
    if (run?.turn !== turn) return;
    try {
      const persona = this.#persona();
      if (!persona) {
        throw new NobodyError("invalid_request", "dictation cleanup needs a persona's model");
      }
      const text = await tidyDictation(this.#deps.llm(persona.llm), persona.llm, transcript, {
        signal: run.controller.signal,
        onToken: () => run.marks.token ||= this.#deps.now(),
      });
      this.dispatch({ type: "cleanup_done", turn, text });
    } catch (error) {
      this.#fail(turn, error);
    }
  }

  async #finishPlayback(turn: number): Promise<void> {
    const run = this.#run;
    if (run?.turn !== turn) return;
    try {
      await this.#sink().finish({ signal: run.controller.signal });
      this.#voice?.replyHeard(this.#deps.now());
      this.dispatch({ type: "playback_done", turn });
    } catch (error) {
      this.#fail(turn, error);
    }
  }

  #record(run: TurnRun): void {
    const { marks } = run;
    const since = (mark: number) => (mark ? Math.max(0, mark - marks.end) : null);
    const timings: TurnTimings = {
      transcriptMs: since(marks.transcript),
      firstTokenMs: since(marks.token),
      firstSentenceMs: since(marks.sentence),
      firstAudioMs: since(marks.audio),
      firstPlayedMs: since(marks.played),
      ...(marks.speechEnd && marks.transcript
        ? { speechEndMs: Math.max(0, marks.transcript - marks.speechEnd) }
        : {}),
    };
    this.#lastTurn = timings;
    if (run.personaId) {
      this.#deps.metrics.record({
        sessionId: this.id,
        personaId: run.personaId,
        at: this.#deps.wallClock(),
        timings,
      });
    }
    this.#deps.publish({ type: "turn_metrics", sessionId: this.id, timings });
  }

  /** Feeds the microphone to the recording turn, or to the pre-roll while idle. */
  async #pumpDevice(capture: AudioCapture): Promise<void> {
    for await (const frame of capture.frames({ signal: this.#closed.signal })) {
      const stt = this.#core.state === "recording" ? this.#run?.stt : null;
      if (stt) stt.pushAudio(frame);
      else this.#preRoll.push(frame);
      this.#listen(frame);
    }
  }

  /** Ends the session: its turn stops (LLM and TTS requests included) and nothing more runs. */
  async close(): Promise<void> {
    this.#closed.abort();
    this.dispatch({ type: "close" });
    // Everything was aborted; an engine that ignores its abort must not hold the close forever.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all([...this.#tasks, this.#capture]),
      new Promise((resolve) => timer = setTimeout(resolve, CLOSE_WAIT_MS)),
    ]);
    clearTimeout(timer);
  }
}
