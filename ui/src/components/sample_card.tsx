/**
 * @module
 * One sample: waveform, quality figures, warnings in plain words, transcript, delete.
 */
import { sendJson } from "../api.ts";
import { report, voiceRevision } from "../store.ts";
import type { Sample } from "../types.ts";
import { Waveform } from "./waveform.tsx";

export function SampleCard(props: { sample: Sample }) {
  const s = props.sample;
  const q = s.quality;
  // Pauses of exact zeros (edited or synthetic audio) have no noise floor to speak of.
  const silentFloor = q !== null && q.noiseFloorDbfs <= -120;
  async function remove() {
    try {
      await sendJson(`/voices/${s.voiceId}/samples/${s.id}`, "DELETE");
      voiceRevision.value++;
    } catch (e) {
      report(e);
    }
  }
  return (
    <li class="card sample" aria-label={`Sample ${s.fileName}`}>
      <header class="row">
        <strong>{s.fileName}</strong>
        <span class="muted">
          {s.format.toUpperCase()}, {(s.durationMs / 1000).toFixed(1)} s, {s.sampleRate} Hz
        </span>
        <button type="button" class="danger" onClick={remove} aria-label={`Delete ${s.fileName}`}>
          Delete
        </button>
      </header>
      <Waveform src={`/voices/${s.voiceId}/samples/${s.id}/audio`} label={s.fileName} />
      {q
        ? (
          <dl class="figures">
            <dt>Loudness</dt>
            <dd>{q.loudnessDbfs.toFixed(1)} dBFS</dd>
            <dt>Peak</dt>
            <dd>{q.peakDbfs.toFixed(1)} dBFS</dd>
            <dt>Clipping</dt>
            <dd>{q.clippedPercent.toFixed(2)} %</dd>
            <dt>Noise floor</dt>
            <dd>{silentFloor ? "digital silence" : `${q.noiseFloorDbfs.toFixed(1)} dBFS`}</dd>
            <dt>SNR</dt>
            <dd>{silentFloor ? "no noise" : `${q.snrDb.toFixed(1)} dB`}</dd>
            <dt>Speech</dt>
            <dd>{q.speechPercent.toFixed(0)} %</dd>
          </dl>
        )
        : (
          <p class="warnings unanalyzed" role="status">
            Unanalyzed:{" "}
            {s.analysisError ?? "the voice trainer has not analyzed it"}. Delete it and upload it
            again to analyze it.
          </p>
        )}
      {q && q.warnings.length > 0 && (
        <ul class="warnings" aria-label={`Warnings for ${s.fileName}`}>
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
