/**
 * @module
 * The push-to-talk session as a pure function: `step(core, input)` returns the next core and the
 * effects to run (start STT, start the reply, abort a turn, emit an event...). Every turn has a
 * number; an input from an older turn is stale and changes nothing, so an interrupted turn can
 * never touch the session. The runner (app/session.ts) performs the effects and feeds back what
 * the pipeline reports.
 *
 * States: idle -> recording -> processing -> synthesizing -> playing -> idle. Pressing talk in
 * any state but recording starts a new turn and drops the old one (barge-in); cancel, a failure
 * or a missed deadline ends the turn and returns to idle.
 */
import type { Failure } from "./errors.ts";
import type { SessionEvent } from "./events.ts";
import type { SessionState } from "./session_state.ts";
import type { TurnMode } from "./session_messages.ts";

export interface SessionCore {
  readonly state: SessionState;
  /** The current turn's number; 0 before the first. */
  readonly turn: number;
  /** What the user said in the current turn (empty until the final transcript). */
  readonly transcript: string;
  /** The reply's sentences whose audio reached the listener, in order. */
  readonly spoken: readonly string[];
  /** The whole reply, once the LLM finished it. */
  readonly reply: string;
  readonly closed: boolean;
  /** Why the current turn failed while recording: its key release gets the cause, not a state. */
  readonly failure: Failure | null;
  /** The current turn's purpose: a reply, or its transcript as text (with cleanup or not). */
  readonly mode: TurnMode;
  readonly cleanup: boolean;
}

export const INITIAL_CORE: SessionCore = {
  state: "idle",
  turn: 0,
  transcript: "",
  spoken: [],
  reply: "",
  closed: false,
  failure: null,
  mode: "conversation",
  cleanup: false,
};

/** The stage a turn waits in, each with its own deadline. */
export type Stage = "transcript" | "reply" | "audio" | "playback";

export type CoreInput =
  // Commands.
  | {
    readonly type: "start_recording";
    readonly mode?: TurnMode;
    /** Dictation: tidy the transcript with the model before it is the result. */
    readonly cleanup?: boolean;
  }
  | { readonly type: "stop_recording" }
  | { readonly type: "cancel" }
  | { readonly type: "close" }
  // What the pipeline reports for a turn.
  | { readonly type: "stt_partial"; readonly turn: number; readonly text: string }
  | { readonly type: "stt_final"; readonly turn: number; readonly text: string }
  | { readonly type: "llm_token"; readonly turn: number; readonly text: string }
  | { readonly type: "sentence_ready"; readonly turn: number }
  | { readonly type: "sentence_audio"; readonly turn: number; readonly text: string }
  | {
    readonly type: "reply_written";
    readonly turn: number;
    readonly text: string;
    /** Audio written and not yet heard. */
    readonly remainingMs: number;
  }
  | { readonly type: "playback_done"; readonly turn: number }
  /** A dictation's tidied text. */
  | { readonly type: "cleanup_done"; readonly turn: number; readonly text: string }
  | { readonly type: "failed"; readonly turn: number; readonly failure: Failure }
  | { readonly type: "deadline"; readonly turn: number; readonly stage: Stage };

/** Omit over each member of a union, keeping it discriminated. */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Events for clients, without the session id the runner adds. Turn metrics come from the runner,
 * which keeps the times.
 */
export type CoreEvent = OmitEach<Exclude<SessionEvent, { type: "turn_metrics" }>, "sessionId">;

export interface HistoryEntry {
  readonly role: "user" | "assistant";
  readonly content: string;
  /** The reply was cut short: `content` is what the listener heard of it. */
  readonly interrupted?: boolean;
}

export type Effect =
  | { readonly type: "emit"; readonly event: CoreEvent }
  | { readonly type: "start_stt"; readonly turn: number }
  | { readonly type: "end_stt_input"; readonly turn: number }
  | { readonly type: "start_reply"; readonly turn: number; readonly transcript: string }
  /** Dictation with cleanup: the model tidies the transcript (no history, no speech). */
  | { readonly type: "start_cleanup"; readonly turn: number; readonly transcript: string }
  | { readonly type: "finish_playback"; readonly turn: number }
  /** Stops everything the turn still runs: STT, LLM request, TTS stream, playback wait. */
  | { readonly type: "abort_turn"; readonly turn: number }
  /** Drops reply audio not yet heard. */
  | { readonly type: "flush_audio" }
  | { readonly type: "save_history"; readonly entries: readonly HistoryEntry[] }
  | { readonly type: "record_metrics"; readonly turn: number }
  /** Arms the turn's one deadline for `stage` (replacing the previous); `ms` from now. */
  | {
    readonly type: "arm_deadline";
    readonly turn: number;
    readonly stage: Stage;
    readonly ms: number;
  }
  | { readonly type: "clear_deadline" };

export interface StepResult {
  readonly core: SessionCore;
  readonly effects: readonly Effect[];
  /** Set when a command is refused: the core and effects are unchanged. */
  readonly rejected?: Failure;
}

/**
 * How long each stage may take. Transcript: the STT worker finishes within seconds of the end of
 * speech. Reply: the LLM adapter has its own first-token and idle limits (a local model may load
 * for a minute); this is the backstop. Audio: a TTS worker answers a sentence in well under a
 * second. Playback: what was written plus slack for a slow client.
 */
export const STAGE_DEADLINE_MS: Record<Exclude<Stage, "playback">, number> = {
  transcript: 30_000,
  reply: 150_000,
  audio: 30_000,
};
export const PLAYBACK_SLACK_MS = 10_000;

const STAGE_WORDS: Record<Stage, string> = {
  transcript: "the speech-to-text worker did not finish the transcript",
  reply: "the language model did not answer",
  audio: "the text-to-speech worker did not produce audio",
  playback: "the reply's audio did not finish playing",
};

/** What a turn accumulates, cleared when it ends. */
const FRESH = { transcript: "", spoken: [], reply: "" } as const;

export function step(core: SessionCore, input: CoreInput): StepResult {
  if ("turn" in input && (input.turn !== core.turn || core.state === "idle")) {
    return unchanged(core); // a stale report from an interrupted or finished turn
  }
  if (core.closed && input.type !== "close") {
    return reject(core, { code: "invalid_transition", message: "the session is closed" });
  }
  switch (input.type) {
    case "start_recording":
      if (core.state === "recording") {
        return reject(core, {
          code: "invalid_transition",
          message: "already recording; send stop_recording first",
        });
      }
      return newTurn(core, input.mode ?? "conversation", input.cleanup ?? false);
    case "stop_recording":
      if (core.state === "idle" && core.failure) {
        // The release of a turn that failed while recording: the client hears why it ended.
        return reject(core, core.failure);
      }
      if (core.state !== "recording") {
        return reject(core, {
          code: "invalid_transition",
          message: `cannot stop recording while ${core.state}`,
        });
      }
      return moveTo(core, "processing", [
        { type: "end_stt_input", turn: core.turn },
        arm(core, "transcript"),
      ]);
    case "cancel":
      if (core.state === "idle") {
        return reject(core, {
          code: "invalid_transition",
          message: "nothing to cancel while idle",
        });
      }
      return endTurn(core, []);
    case "close":
      if (core.state === "idle") return { core: { ...core, closed: true }, effects: [] };
      return withCore(endTurn(core, []), (c) => ({ ...c, closed: true }));
    case "stt_partial":
      if (core.state !== "recording" && core.state !== "processing") return unchanged(core);
      return emit(core, { type: "transcription", text: input.text, isFinal: false });
    case "stt_final": {
      if (core.state !== "processing" || core.transcript) return unchanged(core);
      const text = input.text.trim();
      const final: Effect = {
        type: "emit",
        event: { type: "transcription", text, isFinal: true },
      };
      if (!text) {
        return moveTo(core, "idle", [final, { type: "emit", event: { type: "no_speech" } }, {
          type: "clear_deadline",
        }]);
      }
      if (core.mode === "dictation") {
        if (!core.cleanup) return dictated({ ...core, transcript: text }, text, [final]);
        return {
          core: { ...core, transcript: text },
          effects: [
            final,
            { type: "start_cleanup", turn: core.turn, transcript: text },
            arm(core, "reply"),
          ],
        };
      }
      return {
        core: { ...core, transcript: text },
        effects: [
          final,
          { type: "start_reply", turn: core.turn, transcript: text },
          arm(core, "reply"),
        ],
      };
    }
    case "llm_token":
      if (!replying(core)) return unchanged(core);
      // Tokens are progress: the deadline of the stage the turn is in starts again.
      return {
        core,
        effects: [
          { type: "emit", event: { type: "llm_response", text: input.text } },
          arm(core, core.state === "processing" ? "reply" : "audio"),
        ],
      };
    case "sentence_ready":
      if (core.state !== "processing" || !core.transcript) return unchanged(core);
      return moveTo(core, "synthesizing", [arm(core, "audio")]);
    case "sentence_audio": {
      if (core.state !== "synthesizing" && core.state !== "playing") return unchanged(core);
      const spoken = { ...core, spoken: [...core.spoken, input.text] };
      if (core.state === "playing") return { core: spoken, effects: [arm(core, "audio")] };
      return moveTo(spoken, "playing", [
        { type: "emit", event: { type: "playback_started" } },
        arm(core, "audio"),
      ]);
    }
    case "reply_written": {
      if (!replying(core)) return unchanged(core);
      if (core.state === "playing") {
        return {
          core: { ...core, reply: input.text },
          effects: [
            { type: "finish_playback", turn: core.turn },
            {
              type: "arm_deadline",
              turn: core.turn,
              stage: "playback",
              ms: input.remainingMs + PLAYBACK_SLACK_MS,
            },
          ],
        };
      }
      // Nothing was heard (an empty reply, or no audio for it): the turn is over.
      return moveTo(core, "idle", [
        history(core, input.text, false),
        { type: "record_metrics", turn: core.turn },
        { type: "clear_deadline" },
      ]);
    }
    case "playback_done": {
      if (core.state !== "playing" || !core.reply) return unchanged(core);
      const done: Effect[] = [
        history(core, core.reply, false),
        { type: "record_metrics", turn: core.turn },
        { type: "clear_deadline" },
        // Before the state: a client that sees idle knows the reply is over.
        { type: "emit", event: { type: "playback_complete" } },
      ];
      return moveTo(core, "idle", done);
    }
    case "cleanup_done":
      if (core.state !== "processing" || core.mode !== "dictation" || !core.transcript) {
        return unchanged(core);
      }
      return dictated(core, input.text.trim() || core.transcript, []);
    case "failed":
      return failTurn(core, input.failure);
    case "deadline":
      return failTurn(core, {
        code: "unavailable",
        message: `${STAGE_WORDS[input.stage]} in time; the turn was stopped. Try again`,
      });
    default: {
      const unreachable: never = input;
      return reject(core, { code: "invalid_request", message: `unknown input ${unreachable}` });
    }
  }
}

/** A dictation turn's end: its text is the result; nothing is spoken or kept in the history. */
function dictated(core: SessionCore, text: string, before: Effect[]): StepResult {
  return moveTo(core, "idle", [
    ...before,
    { type: "emit", event: { type: "dictation", turn: core.turn, text, raw: core.transcript } },
    { type: "record_metrics", turn: core.turn },
    { type: "clear_deadline" },
  ]);
}

/** Starts a turn; a turn still running (barge-in) is dropped first, its words kept in history. */
function newTurn(core: SessionCore, mode: TurnMode, cleanup: boolean): StepResult {
  const ended = core.state === "idle" ? { core, effects: [] } : endTurn(core, [], { quiet: true });
  const turn = ended.core.turn + 1;
  const next: SessionCore = {
    ...ended.core,
    state: "recording",
    turn,
    failure: null,
    mode,
    cleanup: mode === "dictation" && cleanup,
    ...FRESH,
  };
  return {
    core: next,
    effects: [
      ...ended.effects,
      { type: "start_stt", turn },
      stateChanged(core.state, "recording"),
      { type: "emit", event: { type: "recording_started", turn, mode } },
    ],
  };
}

/**
 * Ends the turn on a failure: the error names its turn. A turn that failed while recording keeps
 * the failure, for the key release that is still to come.
 */
function failTurn(core: SessionCore, failure: Failure): StepResult {
  const ended = endTurn(core, [{
    type: "emit",
    event: { type: "error", code: failure.code, message: failure.message, turn: core.turn },
  }]);
  return withCore(ended, (c) => ({ ...c, failure: core.state === "recording" ? failure : null }));
}

/**
 * Ends the current turn early: its work stops, unheard audio is dropped, and what was said and
 * heard so far enters the history marked interrupted, so the next turn has context.
 */
function endTurn(
  core: SessionCore,
  before: Effect[],
  options: { quiet?: boolean } = {},
): StepResult {
  const effects: Effect[] = [
    ...before,
    { type: "abort_turn", turn: core.turn },
    { type: "flush_audio" },
    { type: "clear_deadline" },
  ];
  if (core.transcript && core.mode === "conversation") {
    effects.push(history(core, core.spoken.join(" "), true));
  }
  const idle = { ...core, state: "idle" as const, ...FRESH };
  if (!options.quiet) effects.push(stateChanged(core.state, "idle"));
  return { core: idle, effects };
}

function history(core: SessionCore, reply: string, interrupted: boolean): Effect {
  const entries: HistoryEntry[] = [{ role: "user", content: core.transcript }];
  if (reply || interrupted) entries.push({ role: "assistant", content: reply, interrupted });
  return { type: "save_history", entries };
}

function moveTo(core: SessionCore, to: SessionState, effects: Effect[]): StepResult {
  const next = to === "idle" ? { ...core, state: to, ...FRESH } : { ...core, state: to };
  return { core: next, effects: [...effects, stateChanged(core.state, to)] };
}

function stateChanged(from: SessionState, to: SessionState): Effect {
  return { type: "emit", event: { type: "state_changed", from, to } };
}

function arm(core: SessionCore, stage: Exclude<Stage, "playback">): Effect {
  return { type: "arm_deadline", turn: core.turn, stage, ms: STAGE_DEADLINE_MS[stage] };
}

/** The turn has a transcript and its reply is under way. */
function replying(core: SessionCore): boolean {
  return core.transcript !== "" &&
    (core.state === "processing" || core.state === "synthesizing" || core.state === "playing");
}

function unchanged(core: SessionCore): StepResult {
  return { core, effects: [] };
}

function emit(core: SessionCore, event: CoreEvent): StepResult {
  return { core, effects: [{ type: "emit", event }] };
}

function reject(core: SessionCore, failure: Failure): StepResult {
  return { core, effects: [], rejected: failure };
}

function withCore(result: StepResult, change: (core: SessionCore) => SessionCore): StepResult {
  return { ...result, core: change(result.core) };
}
