/**
 * @module
 * One voice: its name (renamable), its samples (dropped, chosen or recorded, uploaded one after
 * another with "2 of 3" progress), their quality, training with live progress, and a spoken
 * preview once the voice is ready.
 */
import { useEffect, useState } from "preact/hooks";
import { getJson, message, sendJson, upload } from "../api.ts";
import { inform, loadVoices, report, voiceRevision } from "../store.ts";
import type { Sample, Voice, VoiceReport } from "../types.ts";
import { Recorder } from "../components/recorder.tsx";
import { SampleCard } from "../components/sample_card.tsx";
import { ConfirmButton } from "../components/confirm_button.tsx";
import { DropZone } from "../components/drop_zone.tsx";
import { TrainingPanel } from "../components/training_panel.tsx";
import { Preview } from "../components/preview.tsx";
import { plural, seconds } from "../words.ts";

interface Queued {
  readonly blob: Blob;
  readonly name: string;
}

export function VoicePage(props: { voice: Voice }) {
  const v = props.voice;
  const [samples, setSamples] = useState<Sample[]>([]);
  const [voiceReport, setReport] = useState<VoiceReport | null>(null);
  const [queue, setQueue] = useState<{ done: number; total: number; name: string } | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const revision = voiceRevision.value;

  useEffect(() => {
    const abort = new AbortController();
    Promise.all([
      getJson<{ samples: Sample[] }>(`/voices/${v.id}/samples`, abort.signal),
      getJson<{ report: VoiceReport }>(`/voices/${v.id}`, abort.signal),
    ]).then(([s, d]) => {
      setSamples(s.samples);
      setReport(d.report);
    }).catch((e) => !abort.signal.aborted && report(e));
    return () => abort.abort();
  }, [v.id, revision, v.status]);

  // Leaving the page mid-upload would drop the files still queued: the browser asks first.
  useEffect(() => {
    if (!queue) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [queue !== null]);

  async function add(files: readonly Queued[]) {
    if (files.length === 0) return;
    setErrors([]);
    const failed: string[] = [];
    for (const [i, file] of files.entries()) {
      setQueue({ done: i, total: files.length, name: file.name });
      try {
        await upload<Sample>(`/voices/${v.id}/samples`, file.blob, file.name);
        voiceRevision.value++;
      } catch (e) {
        failed.push(`${file.name}: ${message(e)}`);
        setErrors([...failed]);
      }
    }
    setQueue(null);
    const added = files.length - failed.length;
    if (added > 0) inform(`Added ${plural(added, "sample")}.`);
  }

  async function remove() {
    try {
      await sendJson(`/voices/${v.id}`, "DELETE");
      location.hash = "#/voices";
      await loadVoices();
    } catch (e) {
      report(e);
    }
  }

  return (
    <section aria-labelledby="voice-title" class="voice-page">
      <VoiceHeader voice={v} onDelete={remove} />
      {v.description && <p class="description">{v.description}</p>}
      <p>
        {plural(v.sample_count, "sample")}, {seconds(v.total_sample_ms)} in all: tier{" "}
        <strong>{v.tier}</strong> (Quick from 10 s, Standard from 1 min, Professional from 10 min).
      </p>
      {voiceReport && voiceReport.warnings.length > 0 && (
        <ul class="warnings" aria-label="Voice warnings">
          {voiceReport.warnings.map((w) => <li key={w}>{w}</li>)}
        </ul>
      )}

      <h3>Add samples</h3>
      <DropZone onFiles={add} />
      <Recorder onRecorded={(wav) => add([{ blob: wav, name: recordingName(new Date()) }])} />
      {queue && (
        <p role="status" class="row">
          <progress max={queue.total} value={queue.done} aria-label="Upload progress" />
          Uploading and analyzing {queue.done + 1} of {queue.total}: {queue.name}…
        </p>
      )}
      {errors.length > 0 && (
        <div role="alert" class="error">
          <ul aria-label="Files not added">
            {errors.map((e) => <li key={e}>{e}</li>)}
          </ul>
        </div>
      )}

      <h3>Samples</h3>
      {samples.length === 0
        ? <p class="muted">No samples yet: add at least 10 s of clear speech.</p>
        : (
          <ul class="samples" aria-label="Samples">
            {samples.map((s) => <SampleCard key={s.id} sample={s} />)}
          </ul>
        )}

      <TrainingPanel voice={v} />
      {v.status === "ready" && <Preview voice={v} />}
    </section>
  );
}

/** "Recording 2026-12-01 14.05.09.wav": readable, sortable, and safe in any file system. */
export function recordingName(at: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const day = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  const time = `${two(at.getHours())}.${two(at.getMinutes())}.${two(at.getSeconds())}`;
  return `Recording ${day} ${time}.wav`;
}

function VoiceHeader(props: { voice: Voice; onDelete: () => void }) {
  const v = props.voice;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(v.name);
  const [description, setDescription] = useState(v.description);
  const [error, setError] = useState<string | null>(null);

  async function save(event: Event) {
    event.preventDefault();
    setError(null);
    try {
      await sendJson(`/voices/${v.id}`, "PATCH", { name, description });
      await loadVoices();
      setEditing(false);
      inform(`Saved ${name}.`);
    } catch (e) {
      setError(message(e));
    }
  }

  if (!editing) {
    return (
      <header class="row">
        <h2 id="voice-title">{v.name}</h2>
        <span class={`badge ${v.status}`}>{v.status}</span>
        <button type="button" onClick={() => setEditing(true)}>Rename</button>
        <ConfirmButton label="Delete voice" onConfirm={props.onDelete} />
      </header>
    );
  }
  return (
    <form onSubmit={save} class="card" aria-label="Rename voice">
      <h2 id="voice-title" class="visually-hidden">{v.name}</h2>
      <label>
        Name
        <input
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
      <div class="row">
        <button type="submit">Save</button>
        <button type="button" onClick={() => setEditing(false)}>Cancel</button>
      </div>
      {error && <p role="alert" class="error">{error}</p>}
    </form>
  );
}
