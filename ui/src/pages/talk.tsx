/**
 * @module
 * A live conversation: hold the button (or the space bar) to talk; the microphone streams over the
 * session WebSocket, the transcript and the reply stream back, and the reply's audio plays as it
 * arrives. Pressing again while it plays interrupts it (barge-in).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { message, sendJson } from "../api.ts";
import { personas } from "../store.ts";
import type { ClientMessage, ServerMessage, SessionState, TurnTimings } from "../types.ts";

/** A command as the server parses it: a misspelled field is a type error here. */
const command = (message: ClientMessage) => JSON.stringify(message);
import { type Microphone, openMicrophone } from "../audio/microphone.ts";
import { openSpeaker, type Speaker } from "../audio/speaker.ts";

interface Live {
  readonly id: string;
  readonly socket: WebSocket;
  readonly context: AudioContext;
  readonly mic: Microphone;
  readonly speaker: Speaker;
}

interface Turn {
  heard: string;
  reply: string;
  timings: TurnTimings | null;
}

const STATES: SessionState[] = ["idle", "recording", "processing", "synthesizing", "playing"];

export function TalkPage() {
  const [personaId, setPersonaId] = useState("");
  const [live, setLive] = useState<Live | null>(null);
  const [state, setState] = useState<SessionState | "closed">("closed");
  const [turns, setTurns] = useState<Turn[]>([]);
  const [partial, setPartial] = useState("");
  const [received, setReceived] = useState(0);
  const [sent, setSent] = useState(0);
  const [gaps, setGaps] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const talking = useRef(false);
  /** Set when playback ran dry; audio of the same reply arriving after that was a gap. */
  const drained = useRef(false);
  const liveRef = useRef<Live | null>(null);

  const chosen = personaId || personas.value[0]?.id || "";

  const update = (fn: (turn: Turn) => Turn) =>
    setTurns((all) => all.length === 0 ? all : [...all.slice(0, -1), fn(all[all.length - 1])]);

  function onMessage(live: Live, data: string | ArrayBuffer) {
    if (typeof data !== "string") {
      const samples = new Float32Array(data);
      if (drained.current) setGaps((n) => n + 1);
      drained.current = false;
      setReceived((n) => n + samples.length);
      live.speaker.play(samples);
      return;
    }
    const m = JSON.parse(data) as ServerMessage;
    switch (m.type) {
      case "hello":
      case "state":
        setState(m.state);
        break;
      case "playback_complete":
        drained.current = false;
        break;
      case "recording_started":
        drained.current = false;
        live.speaker.flush(); // barge-in: the old reply stops at once
        setPartial("");
        setTurns((all) => [...all, { heard: "", reply: "", timings: null }]);
        break;
      case "transcription":
        if (m.is_final) {
          setPartial("");
          update((t) => ({ ...t, heard: m.text }));
        } else setPartial(m.text);
        break;
      case "llm_response":
        update((t) => ({ ...t, reply: t.reply + m.text }));
        break;
      case "turn_metrics":
        update((t) => ({ ...t, timings: m.timings }));
        break;
      case "error":
        setError(`${m.message} (${m.code})`);
        break;
    }
  }

  async function start() {
    setError(null);
    try {
      const context = new AudioContext();
      const [mic, speaker] = await Promise.all([openMicrophone(context), openSpeaker(context)]);
      const session = await sendJson<{ id: string }>("/sessions", "POST", {
        audio: "socket",
        sample_rate: context.sampleRate,
        ...(chosen ? { persona_id: chosen } : {}),
      });
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      const socket = new WebSocket(`${scheme}://${location.host}/ws/session/${session.id}`);
      socket.binaryType = "arraybuffer";
      const next: Live = { id: session.id, socket, context, mic, speaker };
      socket.onopen = () =>
        socket.send(command({ type: "hello", sample_rate: context.sampleRate }));
      socket.onmessage = (e) => onMessage(next, e.data);
      socket.onclose = () => setState("closed");
      mic.onBlock = (block) => {
        if (talking.current && socket.readyState === WebSocket.OPEN) {
          socket.send(block);
          setSent((n) => n + block.length);
        }
      };
      speaker.onDrained = () => drained.current = true;
      liveRef.current = next;
      setLive(next);
    } catch (e) {
      setError(`The conversation cannot start: ${message(e)}`);
    }
  }

  async function end() {
    const l = liveRef.current;
    if (!l) return;
    liveRef.current = null;
    setLive(null);
    l.socket.close();
    await l.mic.close();
    l.speaker.close();
    await l.context.close();
    await sendJson(`/sessions/${l.id}`, "DELETE").catch(() => {});
  }

  const press = () => {
    const l = liveRef.current;
    if (!l || talking.current) return;
    talking.current = true;
    l.socket.send(command({ type: "start_recording" }));
  };
  const release = () => {
    const l = liveRef.current;
    if (!l || !talking.current) return;
    talking.current = false;
    l.socket.send(command({ type: "stop_recording" }));
  };

  useEffect(() => {
    const typing = (t: EventTarget | null) =>
      t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement ||
      t instanceof HTMLSelectElement;
    const down = (e: KeyboardEvent) => {
      if (e.code !== "Space" || e.repeat || typing(e.target) || !liveRef.current) return;
      e.preventDefault();
      press();
    };
    const up = (e: KeyboardEvent) => {
      if (e.code !== "Space" || typing(e.target) || !liveRef.current) return;
      e.preventDefault();
      release();
    };
    addEventListener("keydown", down);
    addEventListener("keyup", up);
    return () => {
      removeEventListener("keydown", down);
      removeEventListener("keyup", up);
      end();
    };
  }, []);

  return (
    <section aria-labelledby="talk-title" class="talk">
      <h1 id="talk-title">Talk</h1>
      {!live
        ? (
          <div class="row">
            <label>
              Persona
              <select value={chosen} onChange={(e) => setPersonaId(e.currentTarget.value)}>
                {personas.value.length === 0 && <option value="">(none: create one first)</option>}
                {personas.value.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </select>
            </label>
            <button type="button" onClick={start}>Start conversation</button>
          </div>
        )
        : (
          <div>
            <ol class="states" aria-label="Session state">
              {STATES.map((s) => (
                <li
                  key={s}
                  class={s === state ? "current" : ""}
                  aria-current={s === state ? "step" : undefined}
                >
                  {s}
                </li>
              ))}
            </ol>
            <button
              type="button"
              class={`ptt ${state === "recording" ? "on" : ""}`}
              aria-pressed={state === "recording"}
              onPointerDown={press}
              onPointerUp={release}
              onPointerLeave={release}
            >
              {state === "recording"
                ? "Listening… release to send"
                : "Hold to talk (or hold space)"}
            </button>
            <button type="button" onClick={end}>End conversation</button>
            <p class="muted">
              Microphone sent:{" "}
              <span data-testid="audio-sent">{(sent / live.context.sampleRate).toFixed(2)}</span>
              {" "}
              s; reply audio received:{" "}
              <span data-testid="audio-received">
                {(received / live.context.sampleRate).toFixed(2)}
              </span>{" "}
              s; playback gaps: <span data-testid="audio-gaps">{gaps}</span>
            </p>
          </div>
        )}
      {error && <p role="alert" class="error">{error}</p>}
      {partial && <p class="partial" aria-live="polite">{partial}…</p>}
      <ol class="turns" aria-label="Conversation">
        {turns.map((t, i) => (
          <li key={i} class="card">
            <p>
              <span class="muted">You:</span> <span class="heard">{t.heard}</span>
            </p>
            <p aria-live="polite">
              <span class="muted">Reply:</span> <span class="reply">{t.reply}</span>
            </p>
            {t.timings && <Timings timings={t.timings} />}
          </li>
        ))}
      </ol>
    </section>
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
