/**
 * @module
 * Training a voice: consent, the Train button (pressing it twice is one training) and live
 * progress with a way to cancel.
 */
import { useState } from "preact/hooks";
import { message, sendJson } from "../api.ts";
import { loadVoices, training } from "../store.ts";
import type { TrainingJob, Voice } from "../types.ts";

export function TrainingPanel(props: { voice: Voice }) {
  const v = props.voice;
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [job, setJob] = useState<TrainingJob | null>(null);
  const [busy, setBusy] = useState(false);
  const progress = training.value[v.id];

  async function train() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setJob(await sendJson<TrainingJob>(`/voices/${v.id}/train`, "POST", { consent }));
      await loadVoices();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
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
              <span>The speaker in these samples agreed to have their voice cloned.</span>
            </label>
            <button type="button" onClick={train} disabled={!consent || busy}>
              {v.status === "ready" ? "Train again" : "Train voice"}
            </button>
          </div>
        )}
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}
