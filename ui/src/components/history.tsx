/**
 * @module
 * A persona's earlier conversations, as the service keeps them: one card per conversation, the
 * newest first, each reply with a button to hear it again, and a way to forget them all.
 */
import { useEffect, useState } from "preact/hooks";
import { getJson, sendJson } from "../api.ts";
import { historyRevision, inform, report } from "../store.ts";
import { ClipPlayer, useClip } from "./clip.tsx";
import { ConfirmButton } from "./confirm_button.tsx";

interface Message {
  role: "user" | "assistant";
  content: string;
  at: number;
  interrupted?: boolean;
  session_id: string | null;
  voice_id: string | null;
}

interface Conversation {
  readonly key: string;
  readonly messages: Message[];
}

/** Messages in order, cut where the session changes. */
function conversations(messages: Message[]): Conversation[] {
  const out: Conversation[] = [];
  for (const m of messages) {
    const last = out.at(-1);
    const key = m.session_id ?? "before";
    if (last && last.key === key) last.messages.push(m);
    else out.push({ key, messages: [m] });
  }
  return out.reverse();
}

export function History(
  props: { personaId: string; personaName: string; hide: string | null; revision: number },
) {
  const [messages, setMessages] = useState<Message[] | null>(null);
  const revision = historyRevision.value;
  useEffect(() => {
    const abort = new AbortController();
    getJson<{ messages: Message[] }>(`/personas/${props.personaId}/history?limit=500`, abort.signal)
      .then((h) => setMessages(h.messages), (e) => !abort.signal.aborted && report(e));
    return () => abort.abort();
  }, [props.personaId, props.revision, revision]);

  async function clear() {
    try {
      const { deleted } = await sendJson<{ deleted: number }>(
        `/personas/${props.personaId}/history`,
        "DELETE",
      );
      inform(`Forgot ${deleted} message${deleted === 1 ? "" : "s"} of ${props.personaName}.`);
      setMessages([]);
    } catch (e) {
      report(e);
    }
  }

  if (messages === null) return null;
  const shown = conversations(messages.filter((m) => m.session_id !== props.hide || !props.hide));
  return (
    <section aria-labelledby="history-title" class="history">
      <header class="row">
        <h2 id="history-title">Earlier conversations with {props.personaName}</h2>
        {messages.length > 0 && <ConfirmButton label="Clear history" onConfirm={clear} />}
      </header>
      {shown.length === 0
        ? (
          <p class="muted">
            None yet: what you say and hear is kept here, and the model remembers it.
          </p>
        )
        : (
          <ol class="conversations" aria-label="Earlier conversations">
            {shown.map((c) => (
              <li key={c.key} class="card conversation">
                <h3 class="muted">
                  {new Date(c.messages[0].at).toLocaleString()}
                </h3>
                <ul class="messages">
                  {c.messages.map((m, i) => <HistoryMessage key={i} message={m} />)}
                </ul>
              </li>
            ))}
          </ol>
        )}
    </section>
  );
}

function HistoryMessage(props: { message: Message }) {
  const m = props.message;
  const clip = useClip(m.voice_id ?? "default");
  return (
    <li class={m.role}>
      <span class="muted">{m.role === "user" ? "You:" : "Reply:"}</span> {m.content}
      {m.interrupted && (
        <span class="muted">
          {m.content ? " (interrupted)" : "(none: the turn was interrupted or failed)"}
        </span>
      )}
      {m.role === "assistant" && m.content && (
        <span class="row">
          <button type="button" onClick={() => clip.play(m.content)} disabled={clip.busy}>
            {clip.busy ? "Speaking…" : "Replay"}
          </button>
          {clip.clip && (
            <ClipPlayer
              clip={clip.clip}
              player={clip.player}
              name="reply.wav"
              label="Replayed reply"
            />
          )}
          {clip.error && <span role="alert" class="error">{clip.error}</span>}
        </span>
      )}
    </li>
  );
}
