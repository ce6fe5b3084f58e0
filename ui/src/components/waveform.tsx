/**
 * @module
 * A sample's waveform: the audio is fetched and decoded by the browser, then drawn as the
 * minimum and maximum of each pixel column.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { request } from "../api.ts";

export function Waveform(props: { src: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    (async () => {
      const bytes = await (await request(props.src, { signal: abort.signal })).arrayBuffer();
      const context = new OfflineAudioContext(1, 1, 8_000);
      const audio = await context.decodeAudioData(bytes);
      if (!abort.signal.aborted && canvas.current) draw(canvas.current, audio.getChannelData(0));
    })().catch(() => !abort.signal.aborted && setFailed(true));
    return () => abort.abort();
  }, [props.src]);

  if (failed) return <p class="muted">No waveform: this browser cannot decode the file.</p>;
  return (
    <canvas
      ref={canvas}
      class="waveform"
      width={600}
      height={64}
      role="img"
      aria-label={`Waveform of ${props.label}`}
    />
  );
}

function draw(canvas: HTMLCanvasElement, samples: Float32Array): void {
  const g = canvas.getContext("2d");
  if (!g) return;
  const { width, height } = canvas;
  g.clearRect(0, 0, width, height);
  g.fillStyle = getComputedStyle(canvas).color;
  const per = Math.max(1, Math.floor(samples.length / width));
  for (let x = 0; x < width; x++) {
    let lo = 0, hi = 0;
    for (let i = x * per; i < Math.min(samples.length, (x + 1) * per); i++) {
      lo = Math.min(lo, samples[i]);
      hi = Math.max(hi, samples[i]);
    }
    const top = (1 - hi) / 2 * height;
    g.fillRect(x, top, 1, Math.max(1, (hi - lo) / 2 * height));
  }
  canvas.dataset.drawn = "true";
}
