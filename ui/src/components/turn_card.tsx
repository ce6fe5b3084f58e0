/**
 * @module
 * One turn of a live conversation: what was heard, the reply as it streams, its latency, and the
 * error that ended it, kept on the turn it belongs to with what to do about it.
 */
import type { TurnTimings } from "../types.ts";
import { hintFor } from "../hints.ts";

export interface Turn {
  readonly turn: number;
  readonly heard: string;
  readonly reply: string;
  readonly timings: TurnTimings | null;
  readonly error: { code: string; message: string } | null;
  readonly noSpeech: boolean;
}

export const newTurn = (turn: number): Turn => ({
  turn,
  heard: "",
  reply: "",
  timings: null,
  error: null,
  noSpeech: false,
});

export function TurnCard(props: { turn: Turn; current: boolean; state: string }) {
  const t = props.turn;
  const listening = props.current && props.state === "recording";
  const thinking = props.current && !t.error && !t.reply &&
    (props.state === "processing" || props.state === "synthesizing");
  return (
    <li class={`card turn ${t.error ? "failed" : ""}`} data-turn={t.turn}>
      {(t.heard || listening) && (
        <p>
          <span class="muted">You:</span>{" "}
          <span class="heard">{t.heard || (listening ? "listening…" : "")}</span>
        </p>
      )}
      {t.noSpeech && (
        <p class="muted" role="status">
          No speech was heard: hold the button while you talk, and check the microphone level.
        </p>
      )}
      {(t.reply || thinking) && (
        <p aria-live="polite">
          <span class="muted">Reply:</span> <span class="reply">{t.reply || "thinking…"}</span>
        </p>
      )}
      {t.error && (
        <p role="alert" class="error turn-error">
          This turn failed: {t.error.message}.{" "}
          {hintFor(t.error.code) && <span class="hint">{hintFor(t.error.code)}</span>}
        </p>
      )}
      {t.timings && <Timings timings={t.timings} />}
    </li>
  );
}

function Timings(props: { timings: TurnTimings }) {
  const t = props.timings;
  const rows: [string, number | null][] = [
    ["transcript", t.transcript_ms],
    ["first token", t.first_token_ms],
    ["first sentence", t.first_sentence_ms],
    ["first audio", t.first_audio_ms],
    ["first played", t.first_played_ms],
    ...(t.speech_end_ms == null ? [] : [["end of speech", t.speech_end_ms] as [string, number]]),
  ];
  return (
    <table class="timings" aria-label="Turn latency">
      <thead>
        <tr>{rows.map(([name]) => <th key={name} scope="col">{name}</th>)}</tr>
      </thead>
      <tbody>
        <tr>
          {rows.map(([name, ms]) => <td key={name}>{ms === null ? "–" : `${Math.round(ms)} ms`}
          </td>)}
        </tr>
      </tbody>
    </table>
  );
}
