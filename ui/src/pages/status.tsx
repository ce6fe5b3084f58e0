/**
 * @module
 * Status: the workers and their engines, audio devices, Ollama, and recent problems.
 */
import { useEffect, useState } from "preact/hooks";
import { getJson, message } from "../api.ts";

interface WorkerStatus {
  name: string;
  state: string;
  pid: number | null;
  engine: string | null;
  engine_detail: string | null;
  fallbacks: string[];
  restarts: number;
  last_error: string | null;
}

interface Status {
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
          nobody {status.version} at {status.url}, up {Math.round(status.uptime_ms / 1000)}{" "}
          s; data in <code>{status.data_dir}</code>. {status.counts.voices} voices,{" "}
          {status.counts.samples} samples, {status.counts.personas} personas.
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
              <th scope="col">restarts</th>
              <th scope="col">last error</th>
            </tr>
          </thead>
          <tbody>
            {status.workers.map((w) => (
              <tr key={w.name}>
                <td>{w.name}</td>
                <td>
                  <span class={`badge ${w.state}`}>{w.state}</span>
                </td>
                <td>
                  {w.engine ?? "–"}
                  {w.fallbacks.length > 0 && (
                    <span class="muted">(fallback: {w.fallbacks.join("; ")})</span>
                  )}
                </td>
                <td>{w.restarts}</td>
                <td>{w.last_error ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
      {Array.isArray(devices) && (
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
              <span class={`badge ${p.level}`}>{p.level}</span> {p.message}{" "}
              <span class="muted">{JSON.stringify(p.fields)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
