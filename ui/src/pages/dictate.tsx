/**
 * @module
 * Dictate: hold the button (or the space bar) and speak, or turn on hands-free and just speak;
 * the words show as they are heard, each result is added to the text, and Copy puts it on the
 * clipboard for any app. No model answers unless "Tidy with the persona's model" is on.
 */
import { useRef, useState } from "preact/hooks";
import { message } from "../api.ts";
import type { ServerMessage, SessionState } from "../types.ts";
import { type Microphone, openMicrophone } from "../audio/microphone.ts";
import { LevelMeter } from "../components/level_meter.tsx";
import { closeSession, levelEvery100Ms, openSessionSocket, pushToTalk } from "../live_session.ts";
import { hintFor } from "../hints.ts";
import { useSpaceBar } from "../components/space_bar.ts";

interface Live {
  readonly id: string;
  readonly socket: WebSocket;
  readonly context: AudioContext;
  readonly mic: Microphone;
  /** Fixed when it starts: turns start on speech, and no key starts one. */
  readonly handsFree: boolean;
}

export function DictatePage() {
  const [cleanup, setCleanup] = useState(false);
  const [handsFree, setHandsFree] = useState(false);
  const [live, setLive] = useState<Live | null>(null);
  const [state, setState] = useState<SessionState | "closed">("closed");
  const [partial, setPartial] = useState("");
  const [text, setText] = useState("");
  const [level, setLevel] = useState(-100);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const liveRef = useRef<Live | null>(null);
  const talking = useRef(false);

  function onMessage(data: string | ArrayBuffer) {
    if (typeof data !== "string") return;
    const m = JSON.parse(data) as ServerMessage;
    switch (m.type) {
      case "hello":
      case "state":
        setState(m.state);
        break;
      case "recording_started":
        setError(null);
        break;
      case "transcription":
        setPartial(m.is_final ? "" : m.text);
        break;
      case "dictation":
        setText((t) => (t && !/\s$/.test(t) ? `${t} ` : t) + m.text);
        setStatus(null);
        break;
      case "no_speech":
        setStatus("No speech was heard: hold the button while you talk.");
        break;
      case "error":
        if (m.turn !== undefined || m.code !== "invalid_transition") {
          setError(`${m.message}. ${hintFor(m.code) ?? ""}`);
        }
        break;
    }
  }

  async function start() {
    setError(null);
    try {
      const context = new AudioContext();
      const mic = await openMicrophone(context);
      const { id, socket } = await openSessionSocket(context, mic, {
        mode: "dictation",
        cleanup,
        ...(handsFree ? { hands_free: true } : {}),
      }, { onMessage, onClose: () => setState("closed") });
      const meter = levelEvery100Ms(setLevel);
      mic.onBlock = (block) => {
        meter(block);
        // Hands-free sends the microphone all the time: the service hears where speech is.
        if ((handsFree || talking.current) && socket.readyState === WebSocket.OPEN) {
          socket.send(block);
        }
      };
      const next = { id, socket, context, mic, handsFree };
      liveRef.current = next;
      setLive(next);
    } catch (e) {
      setError(`Dictation cannot start: ${message(e)}`);
    }
  }

  async function end() {
    const l = liveRef.current;
    if (!l) return;
    liveRef.current = null;
    setLive(null);
    await closeSession(l);
  }

  // Hands-free needs no key: the service hears where speech starts and ends. Read from the live
  // session, not this render: the space bar's handler keeps the first render's functions.
  const { press, release } = pushToTalk(liveRef, talking, () => !liveRef.current?.handsFree);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("Copied: paste it anywhere.");
    } catch (e) {
      setError(`The clipboard refused: ${message(e)}`);
    }
  }

  useSpaceBar({ live: () => liveRef.current !== null, press, release, end });

  return (
    <section aria-labelledby="dictate-title" class="dictate">
      <h1 id="dictate-title">Dictate</h1>
      <div class="row">
        <label class="check">
          <input
            type="checkbox"
            checked={handsFree}
            disabled={live !== null}
            onChange={(e) => setHandsFree(e.currentTarget.checked)}
          />
          <span>Hands-free: a pause ends each piece</span>
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={cleanup}
            disabled={live !== null}
            onChange={(e) => setCleanup(e.currentTarget.checked)}
          />
          <span>Tidy with the persona's model</span>
        </label>
      </div>
      {!live ? <button type="button" onClick={start}>Start dictation</button> : (
        <div class="row">
          {!handsFree && (
            <button
              type="button"
              class={`ptt ${state === "recording" ? "on" : ""}`}
              aria-pressed={state === "recording"}
              onPointerDown={press}
              onPointerUp={release}
              onPointerLeave={release}
            >
              {state === "recording" ? "Listening… release to finish" : "Hold to dictate"}
            </button>
          )}
          {handsFree && (
            <p role="status">{state === "recording" ? "Listening…" : "Speak when ready"}</p>
          )}
          <LevelMeter db={level} />
          <button type="button" onClick={end}>Stop dictation</button>
        </div>
      )}
      {partial && <p class="partial" aria-live="polite">{partial}…</p>}
      <label>
        Text
        <textarea
          rows={8}
          value={text}
          data-testid="dictated"
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <div class="row">
        <button type="button" onClick={copy} disabled={text === ""}>Copy</button>
        <button type="button" onClick={() => setText("")} disabled={text === ""}>Clear</button>
      </div>
      {status && <p role="status">{status}</p>}
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}
