/**
 * @module
 * Status: the workers and their engines, audio devices, Ollama, and recent problems.
 */
import { useEffect, useState } from "preact/hooks";
import { getJson, message } from "../api.ts";
import { duration } from "../words.ts";

interface WorkerStatus {
  name: string;
  member: number;
  pool_size: number;
  active_calls: number;
  calls_served: number;
  state: string;
  pid: number | null;
  engine: string | null;
  engine_detail: string | null;
  fallbacks: string[];
  restarts: number;
  last_error: string | null;
}

interface RemoteEngine {
  kind: "stt" | "tts";
  url: string;
  model: string;
  reachable: boolean;
  check_ms: number | null;
  error: string | null;
  calls: number;
  failures: number;
  last_failure: string | null;
}

const KINDS = { stt: "Speech to text", tts: "Text to speech" };

interface Status {
  remote_engines: RemoteEngine[];
  version: string;
  url: string;
  data_dir: string;
  uptime_ms: number;
  counts: { voices: number; samples: number; personas: number };
  workers: WorkerStatus[];
  problems: { at: number; level: string; message: string; fields: Record<string, unknown> }[];
}

interface Llm {
  ollama: { url: string; reachable: boolean; models: string[]; error: string | null };
}

interface Device {
  index: number;
  name: string;
  max_input_channels: number;
  max_output_channels: number;
}

const REFRESH_MS = 5_000;

const STATE_HINTS: Record<string, string> = {
  unloaded: "Unloaded after its keep-alive without calls; the next call loads it again.",
  unloading: "Unloading after its keep-alive without calls.",
  restarting: "It stopped unexpectedly and is starting again.",
};

export function StatusPage() {
  const [status, setStatus] = useState<Status | null>(null);
  const [llm, setLlm] = useState<Llm | null>(null);
  const [devices, setDevices] = useState<Device[] | string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    const load = () => {
      getJson<Status>("/status", abort.signal).then(setStatus, (e) => setError(message(e)));
      getJson<Llm>("/status/llm", abort.signal).then(setLlm, () => {});
    };
    load();
    getJson<{ devices: Device[] }>("/status/devices", abort.signal).then(
      (d) => setDevices(d.devices),
      (e) => !abort.signal.aborted && setDevices(message(e)),
    );
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, []);

  return (
    <section aria-labelledby="status-title">
      <h1 id="status-title">Status</h1>
      {error && <p role="alert" class="error">{error}</p>}
      {status && (
        <p>
          nobody {status.version} at {status.url}, up {duration(status.uptime_ms)}; data in{" "}
          <code>{status.data_dir}</code>. {status.counts.voices} voices, {status.counts.samples}
          {" "}
          samples, {status.counts.personas} personas.
        </p>
      )}
      <h2>Workers</h2>
      {status && status.workers.length === 0 && <p class="muted">The ML workers are turned off.</p>}
      {status && status.workers.length > 0 && (
        <table aria-label="Workers">
          <thead>
            <tr>
              <th scope="col">worker</th>
              <th scope="col">state</th>
              <th scope="col">engine</th>
              <th scope="col">calls now / in all</th>
              <th scope="col">restarts</th>
              <th scope="col">last error</th>
            </tr>
          </thead>
          <tbody>
            {status.workers.map((w) => (
              <tr key={`${w.name}-${w.member}`}>
                <td>{w.pool_size > 1 ? `${w.name} ${w.member + 1} of ${w.pool_size}` : w.name}</td>
                <td>
                  <span class={`badge ${w.state}`} title={STATE_HINTS[w.state]}>{w.state}</span>
                </td>
                <td>
                  {w.engine ?? "–"}{" "}
                  {w.fallbacks.length > 0 && (
                    <span class="muted">(fallback: {w.fallbacks.join("; ")})</span>
                  )}
                </td>
                <td>{w.active_calls} / {w.calls_served}</td>
                <td>{w.restarts}</td>
                <td>{w.last_error ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {status && status.remote_engines.length > 0 && (
        <>
          <h2>Remote speech servers</h2>
          <ul aria-label="Remote speech servers">
            {status.remote_engines.map((e) => (
              <li key={e.kind}>
                {KINDS[e.kind]}: <code>{e.url}</code> ({e.model}),{" "}
                <span class={`badge ${e.reachable ? "ready" : "failed"}`}>
                  {e.reachable ? `answers in ${e.check_ms} ms` : "not answering"}
                </span>
                {e.error && <span class="muted">{e.error}</span>}. {e.calls}{" "}
                {e.calls === 1 ? "call" : "calls"}, {e.failures} failed
                {e.last_failure && <span class="muted">; last: {e.last_failure}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Language model</h2>
      {llm && (
        <p data-testid="ollama">
          Ollama at {llm.ollama.url}: {llm.ollama.reachable
            ? `reachable, ${llm.ollama.models.length} models (${
              llm.ollama.models.join(", ") || "none pulled"
            })`
            : `not reachable: ${llm.ollama.error}`}
        </p>
      )}
      <h2>Audio devices</h2>
      {typeof devices === "string" && <p class="error">{devices}</p>}
      {devices === null && <p class="muted">Looking for audio devices…</p>}
      {Array.isArray(devices) && devices.length === 0 && (
        <p class="muted">
          No audio devices found. The dashboard's Talk page uses the browser's microphone instead.
        </p>
      )}
      {Array.isArray(devices) && devices.length > 0 && (
        <ul aria-label="Audio devices">
          {devices.map((d) => (
            <li key={d.index}>
              {d.name} ({d.max_input_channels} in, {d.max_output_channels} out)
            </li>
          ))}
        </ul>
      )}
      <h2>Recent problems</h2>
      {status && status.problems.length === 0 && <p class="muted">None.</p>}
      {status && status.problems.length > 0 && (
        <ul aria-label="Recent problems" class="problems">
          {status.problems.map((p, i) => (
            <li key={i}>
              <time>{new Date(p.at).toLocaleTimeString()}</time>{" "}
              <span class={`badge ${p.level}`}>{p.level}</span> {p.message}
              {Object.keys(p.fields).length > 0 && (
                <dl class="fields">
                  {Object.entries(p.fields).map(([key, value]) => [
                    <dt key={`${key}-k`}>{key.replaceAll("_", " ")}</dt>,
                    <dd key={`${key}-v`}>
                      {fieldText(value)}
                    </dd>,
                  ])}
                </dl>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A logged field in words: lists (the logger writes them as JSON text) joined, not raw. */
function fieldText(value: unknown): string {
  let v = value;
  if (typeof v === "string" && v.startsWith("[")) {
    try {
      v = JSON.parse(v);
    } catch { /* text that starts with a bracket */ }
  }
  if (Array.isArray(v)) {
    return v.map((x) => typeof x === "string" ? x : JSON.stringify(x)).join("; ");
  }
  return typeof v === "string" ? v : JSON.stringify(v);
}
