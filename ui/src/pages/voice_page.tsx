/**
 * @module
 * One voice: its samples (dropped, chosen or recorded), their quality, training with live
 * progress, and a spoken preview once the voice is ready.
 */
import { useEffect, useState } from "preact/hooks";
import { getJson, message, request, sendJson, upload } from "../api.ts";
import { loadVoices, report, training, voiceRevision } from "../store.ts";
import type { Sample, TrainingJob, Voice, VoiceReport } from "../types.ts";
import { Recorder } from "../components/recorder.tsx";
import { SampleCard } from "../components/sample_card.tsx";
import { seconds } from "./voices.tsx";

export function VoicePage(props: { voice: Voice }) {
  const v = props.voice;
  const [samples, setSamples] = useState<Sample[]>([]);
  const [voiceReport, setReport] = useState<VoiceReport | null>(null);
  const [uploading, setUploading] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
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

  async function add(files: readonly { blob: Blob; name: string }[]) {
    setError(null);
    for (const file of files) {
      setUploading((u) => [...u, file.name]);
      try {
        await upload<Sample>(`/voices/${v.id}/samples`, file.blob, file.name);
        voiceRevision.value++;
      } catch (e) {
        setError(`${file.name}: ${message(e)}`);
      } finally {
        setUploading((u) => u.filter((n) => n !== file.name));
      }
    }
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
      <header class="row">
        <h2 id="voice-title">{v.name}</h2>
        <span class={`badge ${v.status}`}>{v.status}</span>
        <ConfirmButton label="Delete voice" onConfirm={remove} />
      </header>
      {v.description && <p>{v.description}</p>}
      <p>
        {v.sample_count} samples, {seconds(v.total_sample_ms)} in all: tier{" "}
        <strong>{v.tier}</strong> (Quick from 10 s, Standard from 1 min, Professional from 10 min).
      </p>
      {voiceReport && voiceReport.warnings.length > 0 && (
        <ul class="warnings" aria-label="Voice warnings">
          {voiceReport.warnings.map((w) => <li key={w}>{w}</li>)}
        </ul>
      )}

      <h3>Add samples</h3>
      <DropZone onFiles={add} />
      <Recorder onRecorded={(wav) => add([{ blob: wav, name: `recording-${Date.now()}.wav` }])} />
      {uploading.length > 0 && <p role="status">Analyzing {uploading.join(", ")}…</p>}
      {error && <p role="alert" class="error">{error}</p>}

      <h3>Samples</h3>
      {samples.length === 0
        ? <p class="muted">No samples yet: add at least 10 s of clear speech.</p>
        : (
          <ul class="samples" aria-label="Samples">
            {samples.map((s) => <SampleCard key={s.id} sample={s} />)}
          </ul>
        )}

      <Training voice={v} />
      {v.status === "ready" && <Preview voice={v} />}
    </section>
  );
}

export function ConfirmButton(props: { label: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="danger" onClick={() => setAsking(true)}>{props.label}</button>
    );
  }
  return (
    <span class="row">
      <button type="button" class="danger" onClick={props.onConfirm}>Confirm: {props.label}</button>
      <button type="button" onClick={() => setAsking(false)}>Keep</button>
    </span>
  );
}

function DropZone(props: { onFiles: (files: { blob: Blob; name: string }[]) => void }) {
  const [over, setOver] = useState(false);
  const take = (list: FileList | null) =>
    list && props.onFiles([...list].map((f) => ({ blob: f, name: f.name })));
  return (
    <div
      class={`drop ${over ? "over" : ""}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        take(e.dataTransfer?.files ?? null);
      }}
    >
      <p>Drop audio files here (WAV, FLAC, Ogg, MP3, M4A), or</p>
      <label class="button">
        choose files
        <input
          type="file"
          accept="audio/*,.wav,.flac,.ogg,.mp3,.m4a"
          multiple
          class="visually-hidden"
          onChange={(e) => {
            take(e.currentTarget.files);
            e.currentTarget.value = "";
          }}
        />
      </label>
    </div>
  );
}

function Training(props: { voice: Voice }) {
  const v = props.voice;
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [job, setJob] = useState<TrainingJob | null>(null);
  const progress = training.value[v.id];

  async function train() {
    setError(null);
    try {
      setJob(await sendJson<TrainingJob>(`/voices/${v.id}/train`, "POST", { consent }));
      await loadVoices();
    } catch (e) {
      setError(message(e));
    }
  }

  async function cancel() {
    if (!job) return;
    try {
      await sendJson(`/training/${job.id}`, "DELETE");
    } catch (e) {
      setError(message(e));
    }
  }

  return (
    <section aria-labelledby="training-title">
      <h3 id="training-title">Training</h3>
      {v.status === "training" || progress
        ? (
          <div class="progress">
            <progress max={100} value={progress?.percent ?? 0} aria-label="Training progress" />
            <span role="status">
              {progress
                ? `${progress.stage} ${Math.round(progress.percent)} %: ${progress.message}`
                : "starting…"}
            </span>
            {job && <button type="button" onClick={cancel}>Cancel training</button>}
          </div>
        )
        : (
          <div>
            <label class="check">
              <input
                type="checkbox"
                checked={consent}
                onChange={(e) => setConsent(e.currentTarget.checked)}
              />
              The speaker in these samples agreed to have their voice cloned.
            </label>
            <button type="button" onClick={train} disabled={!consent}>
              {v.status === "ready" ? "Train again" : "Train voice"}
            </button>
          </div>
        )}
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}

function Preview(props: { voice: Voice }) {
  const [text, setText] = useState("Hello! This is how my cloned voice sounds.");
  const [state, setState] = useState<string | null>(null);

  async function play() {
    setState("Synthesizing…");
    try {
      const response = await request("/v1/audio/speech", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "nobody",
          voice: props.voice.id,
          input: text,
          response_format: "pcm",
        }),
      });
      const rate = Number(response.headers.get("x-sample-rate") ?? 24_000);
      const pcm = new Int16Array(await response.arrayBuffer());
      const context = new AudioContext();
      const buffer = context.createBuffer(1, Math.max(1, pcm.length), rate);
      buffer.getChannelData(0).set(Float32Array.from(pcm, (x) => x / 32768));
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.onended = () => context.close();
      source.start();
      setState(`Playing ${(pcm.length / rate).toFixed(1)} s of preview`);
    } catch (e) {
      setState(`Preview failed: ${message(e)}`);
    }
  }

  return (
    <section aria-labelledby="preview-title">
      <h3 id="preview-title">Preview</h3>
      <label>
        Text to speak
        <input value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="button" onClick={play} disabled={text.trim() === ""}>Play preview</button>
      {state && <p role="status">{state}</p>}
    </section>
  );
}
