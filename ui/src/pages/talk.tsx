/**
 * @module
 * A live conversation: pick the persona, its voice and the microphone, then hold the button (or
 * the space bar) to talk; the microphone streams over the session WebSocket, the transcript and
 * the reply stream back, and the reply's audio plays as it arrives. Pressing again while it plays
 * interrupts it (barge-in). Each turn keeps its own error; earlier conversations are below.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { message } from "../api.ts";
import { personas, voices } from "../store.ts";
import type { ServerMessage, SessionState } from "../types.ts";
import { listMicrophones, type Microphone, openMicrophone } from "../audio/microphone.ts";
import { openSpeaker, type Speaker } from "../audio/speaker.ts";
import { newTurn, type Turn, TurnCard } from "../components/turn_card.tsx";
import { LevelMeter } from "../components/level_meter.tsx";
import {
  closeSession,
  command,
  levelEvery100Ms,
  openSessionSocket,
  pushToTalk,
} from "../live_session.ts";
import { History } from "../components/history.tsx";
import { hintFor } from "../hints.ts";
import { useSpaceBar } from "../components/space_bar.ts";

interface Live {
  readonly id: string;
  readonly socket: WebSocket;
  readonly context: AudioContext;
  readonly mic: Microphone;
  readonly speaker: Speaker;
}

const STATES: SessionState[] = ["idle", "recording", "processing", "synthesizing", "playing"];

export function TalkPage() {
  const [personaId, setPersonaId] = useState("");
  const [voiceId, setVoiceId] = useState("");
  const [micId, setMicId] = useState("");
  const [mics, setMics] = useState<{ id: string; label: string }[]>([]);
  const [live, setLive] = useState<Live | null>(null);
  const [state, setState] = useState<SessionState | "closed">("closed");
  const [turns, setTurns] = useState<Turn[]>([]);
  const [partial, setPartial] = useState("");
  const [received, setReceived] = useState(0);
  const [sent, setSent] = useState(0);
  const [gaps, setGaps] = useState(0);
  const [level, setLevel] = useState(-100);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  /** Bumped when a turn ends, so the history below shows it once the conversation is over. */
  const [turnsDone, setTurnsDone] = useState(0);
  const talking = useRef(false);
  /** Set when playback ran dry; audio of the same reply arriving after that was a gap. */
  const drained = useRef(false);
  const liveRef = useRef<Live | null>(null);
  /** The last turn's failure, so the refused release that repeats it is not shown twice. */
  const lastTurnError = useRef<string | null>(null);

  const persona = personas.value.find((p) => p.id === personaId) ?? personas.value[0] ?? null;
  const personaVoice = voices.value.find((v) => v.id === persona?.voice_id);
  const speakable = voices.value.filter((v) => v.status === "ready");

  useEffect(() => void listMicrophones().then(setMics, () => {}), [live]);

  const update = (turn: number, fn: (t: Turn) => Turn) =>
    setTurns((all) => all.map((t) => t.turn === turn ? fn(t) : t));
  const latest = (fn: (t: Turn) => Turn) =>
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
        setError(null);
        lastTurnError.current = null;
        setTurns((all) => [...all, newTurn(m.turn)]);
        break;
      case "transcription":
        if (m.is_final) {
          setPartial("");
          latest((t) => ({ ...t, heard: m.text }));
        } else setPartial(m.text);
        break;
      case "no_speech":
        latest((t) => ({ ...t, noSpeech: true }));
        break;
      case "llm_response":
        latest((t) => ({ ...t, reply: t.reply + m.text }));
        break;
      case "turn_metrics":
        latest((t) => ({ ...t, timings: m.timings }));
        setTurnsDone((n) => n + 1);
        break;
      case "error": {
        const failure = { code: m.code, message: m.message };
        if (m.turn !== undefined) {
          setPartial("");
          lastTurnError.current = m.message;
          update(m.turn, (t) => ({ ...t, error: failure }));
          setTurnsDone((n) => n + 1);
        } else if (m.message !== lastTurnError.current) {
          setError(failure); // a refused command (the release of a failed turn repeats its cause)
        }
        break;
      }
    }
  }

  async function start() {
    setError(null);
    try {
      const context = new AudioContext();
      const [mic, speaker] = await Promise.all([
        openMicrophone(context, { deviceId: micId || undefined }),
        openSpeaker(context),
      ]);
      let next: Live | null = null;
      const { id, socket } = await openSessionSocket(context, mic, {
        ...(persona ? { persona_id: persona.id } : {}),
        ...(voiceId ? { voice_id: voiceId } : {}),
      }, { onMessage: (data) => next && onMessage(next, data), onClose: () => setState("closed") });
      next = { id, socket, context, mic, speaker };
      const meter = levelEvery100Ms(setLevel);
      mic.onBlock = (block) => {
        meter(block);
        if (talking.current && socket.readyState === WebSocket.OPEN) {
          socket.send(block);
          setSent((n) => n + block.length);
        }
      };
      speaker.onDrained = () => drained.current = true;
      liveRef.current = next;
      setLive(next);
    } catch (e) {
      setError({
        code: (e as { code?: string }).code ?? "",
        message: `The conversation cannot start: ${message(e)}`,
      });
    }
  }

  async function end() {
    const l = liveRef.current;
    if (!l) return;
    liveRef.current = null;
    setLive(null);
    await closeSession(l);
    setTurns([]);
    setTurnsDone((n) => n + 1);
  }

  const { press, release } = pushToTalk(liveRef, talking);

  /** Pickers change a live session at once (set_persona / set_voice). */
  function choosePersona(id: string) {
    setPersonaId(id);
    setVoiceId("");
    const l = liveRef.current;
    if (l) {
      l.socket.send(command({ type: "set_persona", persona_id: id }));
      l.socket.send(command({ type: "set_voice", voice_id: null }));
    }
  }
  function chooseVoice(id: string) {
    setVoiceId(id);
    liveRef.current?.socket.send(command({ type: "set_voice", voice_id: id || null }));
  }

  useSpaceBar({ live: () => liveRef.current !== null, press, release, end });

  const voiceMissing = persona?.voice_id && personaVoice?.status !== "ready" &&
    personaVoice?.status !== "training";

  return (
    <section aria-labelledby="talk-title" class="talk">
      <h1 id="talk-title">Talk</h1>
      <div class="row pickers">
        <label>
          Persona
          <select value={persona?.id ?? ""} onChange={(e) => choosePersona(e.currentTarget.value)}>
            {personas.value.length === 0 && <option value="">Assistant (made for you)</option>}
            {personas.value.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label>
          Voice
          <select value={voiceId} onChange={(e) => chooseVoice(e.currentTarget.value)}>
            <option value="">
              The persona's voice ({personaVoice?.name ?? "default voice"})
            </option>
            {speakable.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
          </select>
        </label>
        <label>
          Microphone
          <select
            value={micId}
            disabled={live !== null}
            onChange={(e) => setMicId(e.currentTarget.value)}
          >
            <option value="">System default</option>
            {mics.filter((m) => m.id && m.id !== "default").map((m) => (
              <option key={m.id} value={m.id}>{m.label}</option>
            ))}
          </select>
        </label>
      </div>
      {voiceMissing && (
        <p role="alert" class="warnings">
          {persona!.name}'s voice{" "}
          {personaVoice ? `"${personaVoice.name}" is ${personaVoice.status}` : "was deleted"}:
          replies would fail. Pick a voice above, or edit the persona.
        </p>
      )}
      {!live ? <button type="button" onClick={start}>Start conversation</button> : (
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
          <div class="row">
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
            <LevelMeter db={level} />
            <button type="button" onClick={end}>End conversation</button>
          </div>
          <p class="muted">
            Microphone sent:{" "}
            <span data-testid="audio-sent">{(sent / live.context.sampleRate).toFixed(2)}</span>{" "}
            s; reply audio received:{" "}
            <span data-testid="audio-received">
              {(received / live.context.sampleRate).toFixed(2)}
            </span>{" "}
            s; playback gaps: <span data-testid="audio-gaps">{gaps}</span>
          </p>
        </div>
      )}
      {error && (
        <p role="alert" class="error">
          {error.message} {hintFor(error.code)}
        </p>
      )}
      {partial && <p class="partial" aria-live="polite">{partial}…</p>}
      <ol class="turns" aria-label="Conversation">
        {turns.map((t, i) => (
          <TurnCard key={t.turn} turn={t} current={i === turns.length - 1} state={state} />
        ))}
      </ol>
      {persona && (
        <History
          personaId={persona.id}
          personaName={persona.name}
          hide={live?.id ?? null}
          revision={turnsDone}
        />
      )}
    </section>
  );
}
