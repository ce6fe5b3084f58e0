/**
 * @module
 * Voices: the list, creating and deleting one; a selected voice opens its page.
 */
import { useState } from "preact/hooks";
import { message, sendJson } from "../api.ts";
import { loadVoices, voices } from "../store.ts";
import type { Voice } from "../types.ts";
import { VoicePage } from "./voice_page.tsx";
import { plural, seconds } from "../words.ts";

export function VoicesPage(props: { selected: string | null }) {
  const selected = voices.value.find((v) => v.id === props.selected) ?? null;
  return (
    <div class="columns">
      <section aria-labelledby="voices-title">
        <h1 id="voices-title">Voices</h1>
        <NewVoice />
        {voices.value.length === 0
          ? <p class="muted">No voices yet.</p>
          : (
            <ul class="list" aria-label="Voices">
              {voices.value.map((v) => (
                <VoiceRow key={v.id} voice={v} active={v.id === props.selected} />
              ))}
            </ul>
          )}
      </section>
      {selected
        ? <VoicePage key={selected.id} voice={selected} />
        : props.selected && <p role="alert">That voice does not exist (any more).</p>}
    </div>
  );
}

function VoiceRow(props: { voice: Voice; active: boolean }) {
  const v = props.voice;
  return (
    <li class={props.active ? "active" : ""}>
      <a href={`#/voices/${v.id}`} aria-current={props.active ? "page" : undefined}>
        <strong>{v.name}</strong>
      </a>
      <span class={`badge ${v.status}`}>{v.status}</span>
      <span class="muted">
        {plural(v.sample_count, "sample")}, {seconds(v.total_sample_ms)}, {v.tier}
      </span>
    </li>
  );
}

function NewVoice() {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const voice = await sendJson<Voice>("/voices", "POST", { name, description });
      setName("");
      setDescription("");
      await loadVoices();
      location.hash = `#/voices/${voice.id}`;
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} class="card" aria-label="New voice">
      <label>
        Name
        <input
          name="voice-name"
          required
          maxLength={80}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </label>
      <label>
        Description
        <input
          maxLength={2_000}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={busy}>Create voice</button>
      {error && <p role="alert" class="error">{error}</p>}
    </form>
  );
}
