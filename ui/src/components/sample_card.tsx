/**
 * @module
 * One sample: waveform, quality figures, warnings in plain words, transcript, delete.
 */
import { sendJson } from "../api.ts";
import { report, voiceRevision } from "../store.ts";
import type { Sample } from "../types.ts";
import { Waveform } from "./waveform.tsx";
import { ConfirmButton } from "./confirm_button.tsx";

export function SampleCard(props: { sample: Sample }) {
  const s = props.sample;
  const q = s.quality;
  // Pauses of exact zeros (edited or synthetic audio) have no noise floor to speak of.
  const silentFloor = q !== null && q.noise_floor_dbfs <= -120;
  async function remove() {
    try {
      await sendJson(`/voices/${s.voice_id}/samples/${s.id}`, "DELETE");
      voiceRevision.value++;
    } catch (e) {
      report(e);
    }
  }
  return (
    <li class="card sample" aria-label={`Sample ${s.file_name}`}>
      <header class="row">
        <strong>{s.file_name}</strong>
        <span class="muted">
          {s.format.toUpperCase()}, {(s.duration_ms / 1000).toFixed(1)} s, {s.sample_rate} Hz
        </span>
        <ConfirmButton label={`Delete ${s.file_name}`} onConfirm={remove} />
      </header>
      <Waveform src={`/voices/${s.voice_id}/samples/${s.id}/audio`} label={s.file_name} />
      <audio
        controls
        preload="none"
        src={`/voices/${s.voice_id}/samples/${s.id}/audio`}
        aria-label={`Listen to ${s.file_name}`}
      />
      {q
        ? (
          <dl class="figures">
            <dt>Loudness</dt>
            <dd>{q.loudness_dbfs.toFixed(1)} dBFS</dd>
            <dt>Peak</dt>
            <dd>{q.peak_dbfs.toFixed(1)} dBFS</dd>
            <dt>Clipping</dt>
            <dd>{q.clipped_percent.toFixed(2)} %</dd>
            <dt>Noise floor</dt>
            <dd>{silentFloor ? "digital silence" : `${q.noise_floor_dbfs.toFixed(1)} dBFS`}</dd>
            <dt>SNR</dt>
            <dd>{silentFloor ? "no noise" : `${q.snr_db.toFixed(1)} dB`}</dd>
            <dt>Speech</dt>
            <dd>{q.speech_percent.toFixed(0)} %</dd>
          </dl>
        )
        : (
          <p class="warnings unanalyzed" role="status">
            Unanalyzed:{" "}
            {s.analysis_error ?? "the voice trainer has not analyzed it"}. Delete it and upload it
            again to analyze it.
          </p>
        )}
      {q && q.warnings.length > 0 && (
        <ul class="warnings" aria-label={`Warnings for ${s.file_name}`}>
          {q.warnings.map((w) => <li key={w}>{w}</li>)}
        </ul>
      )}
      {s.transcript !== null && (
        <p class="transcript">
          <span class="muted">Heard:</span> {s.transcript || "(no words recognized)"}
        </p>
      )}
    </li>
  );
}
