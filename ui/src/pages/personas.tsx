/**
 * @module
 * Personas: create, edit and delete, with the service's validation messages beside the form.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, getJson, message, sendJson } from "../api.ts";
import { inform, loadPersonas, personas, report, voices } from "../store.ts";
import type { Persona } from "../types.ts";
import { ConfirmButton } from "../components/confirm_button.tsx";

const PROVIDERS = [
  { id: "ollama", label: "Ollama (local)" },
  { id: "openai", label: "OpenAI" },
  { id: "redpill", label: "RedPill" },
  { id: "openai_compatible", label: "OpenAI-compatible server" },
];
const providerLabel = (id: string) => PROVIDERS.find((p) => p.id === id)?.label ?? id;

interface Draft {
  name: string;
  systemPrompt: string;
  provider: string;
  model: string;
  baseUrl: string;
  temperature: string;
  /** "" leaves it to the model; "on" thinks first; "off" answers at once. */
  think: string;
  voiceId: string;
}

const EMPTY: Draft = {
  name: "",
  systemPrompt: "You are a helpful assistant. Answer briefly: your words are spoken aloud.",
  provider: "ollama",
  model: "llama3.2:3b",
  baseUrl: "",
  temperature: "",
  think: "",
  voiceId: "",
};

const toDraft = (p: Persona): Draft => ({
  name: p.name,
  systemPrompt: p.system_prompt,
  provider: p.llm.provider,
  model: p.llm.model,
  baseUrl: p.llm.base_url ?? "",
  temperature: p.llm.temperature == null ? "" : String(p.llm.temperature),
  think: p.llm.think == null ? "" : p.llm.think ? "on" : "off",
  voiceId: p.voice_id ?? "",
});

export function PersonasPage() {
  const [editing, setEditing] = useState<Persona | null>(null);
  return (
    <div class="columns">
      <section aria-labelledby="personas-title">
        <h1 id="personas-title">Personas</h1>
        {personas.value.length === 0
          ? <p class="muted">No personas yet.</p>
          : (
            <ul class="list" aria-label="Personas">
              {personas.value.map((p) => (
                <li key={p.id}>
                  <strong>{p.name}</strong>
                  <span class="muted">
                    {providerLabel(p.llm.provider)} · {p.llm.model} ·{" "}
                    {voices.value.find((v) => v.id === p.voice_id)?.name ??
                      "default voice"}
                  </span>
                  <span class="row">
                    <button type="button" onClick={() => setEditing(p)}>Edit {p.name}</button>
                    <ConfirmButton
                      label={`Delete ${p.name}`}
                      onConfirm={() =>
                        sendJson(`/personas/${p.id}`, "DELETE").then(loadPersonas).catch(report)}
                    />
                  </span>
                </li>
              ))}
            </ul>
          )}
      </section>
      <PersonaForm key={editing?.id ?? "new"} persona={editing} onDone={() => setEditing(null)} />
    </div>
  );
}

function PersonaForm(props: { persona: Persona | null; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>(props.persona ? toDraft(props.persona) : EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [models, setModels] = useState<string[]>([]);
  const set = (key: keyof Draft) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [key]: e.currentTarget.value });

  // The models Ollama has pulled, offered as the Model field's choices.
  useEffect(() => {
    const abort = new AbortController();
    getJson<{ ollama: { models: string[] } }>("/status/llm", abort.signal)
      .then((s) => setModels(s.ollama.models), () => {});
    return () => abort.abort();
  }, []);

  const llm = () => {
    const temperature = draft.temperature.trim() === "" ? undefined : Number(draft.temperature);
    return {
      provider: draft.provider,
      model: draft.model,
      ...(draft.baseUrl.trim() ? { base_url: draft.baseUrl.trim() } : {}),
      ...(temperature === undefined ? {} : { temperature }),
      think: draft.think === "" ? null : draft.think === "on",
    };
  };

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    const body = {
      name: draft.name,
      system_prompt: draft.systemPrompt,
      llm: llm(),
      voice_id: draft.voiceId || null,
    };
    try {
      const persona = props.persona
        ? await sendJson<Persona>(`/personas/${props.persona.id}`, "PUT", body)
        : await sendJson<Persona>("/personas", "POST", body);
      // The form is empty again before the list shows the new persona: whoever types next
      // types into a fresh form, not one that a late reset wipes.
      if (!props.persona) setDraft(EMPTY);
      // On the page, not in this form: the form starts afresh after a save.
      inform(`Saved ${persona.name}.`);
      await loadPersonas();
      props.onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : message(e));
    }
  }

  return (
    <form onSubmit={submit} class="card" aria-labelledby="persona-form-title">
      <h2 id="persona-form-title">
        {props.persona ? `Edit ${props.persona.name}` : "New persona"}
      </h2>
      <label>
        Name
        <input required maxLength={80} value={draft.name} onInput={set("name")} />
      </label>
      <label>
        System prompt
        <textarea rows={4} value={draft.systemPrompt} onInput={set("systemPrompt")} />
      </label>
      <label>
        Provider
        <select value={draft.provider} onChange={set("provider")}>
          {PROVIDERS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
        </select>
      </label>
      <label>
        Model
        <input
          required
          list={draft.provider === "ollama" ? "ollama-models" : undefined}
          value={draft.model}
          onInput={set("model")}
          placeholder={draft.provider === "ollama" ? "llama3.2:3b" : "gpt-4o-mini"}
        />
      </label>
      <datalist id="ollama-models">
        {models.map((m) => <option key={m} value={m} />)}
      </datalist>
      {draft.provider === "ollama" && models.length > 0 && (
        <p class="muted">Installed: {models.join(", ")}</p>
      )}
      <label>
        Base URL {draft.provider === "openai_compatible" ? "(required)" : "(optional)"}
        <input
          type="url"
          required={draft.provider === "openai_compatible"}
          value={draft.baseUrl}
          onInput={set("baseUrl")}
          placeholder="http://127.0.0.1:8080/v1"
        />
      </label>
      <ModelTest llm={llm} />
      <label>
        Temperature (optional, 0 to 2)
        <input
          type="number"
          min={0}
          max={2}
          step={0.1}
          value={draft.temperature}
          onInput={set("temperature")}
        />
      </label>
      <label>
        Reasoning (qwen3, deepseek-r1)
        <select value={draft.think} onChange={set("think")}>
          <option value="">Default</option>
          <option value="off">Answer at once (faster replies)</option>
          <option value="on">Think first</option>
        </select>
      </label>
      <label>
        Voice
        <select value={draft.voiceId} onChange={set("voiceId")}>
          <option value="">Default voice</option>
          {voices.value.map((v) => <option key={v.id} value={v.id}>{v.name} ({v.status})</option>)}
        </select>
      </label>
      <div class="row">
        <button type="submit">{props.persona ? "Save changes" : "Create persona"}</button>
        {props.persona && <button type="button" onClick={props.onDone}>Cancel</button>}
      </div>
      {error && <p role="alert" class="error">{error}</p>}
    </form>
  );
}

/** One short completion with the form's settings, timed to its first token. */
function ModelTest(props: { llm: () => unknown }) {
  const [result, setResult] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function test() {
    setBusy(true);
    setResult(null);
    setFailure(null);
    try {
      const r = await sendJson<{ first_token_ms: number; total_ms: number; reply: string }>(
        "/status/llm/test",
        "POST",
        { llm: props.llm() },
      );
      setResult(`First token after ${Math.round(r.first_token_ms)} ms: "${r.reply}"`);
    } catch (e) {
      setFailure(message(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="row model-test">
      <button type="button" onClick={test} disabled={busy}>
        {busy ? "Testing…" : "Test model"}
      </button>
      {result && <span role="status" data-testid="model-test">{result}</span>}
      {failure && <span role="alert" class="error">{failure}</span>}
    </div>
  );
}
