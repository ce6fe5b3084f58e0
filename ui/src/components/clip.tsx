/**
 * @module
 * Speech made by the service (a voice preview, a reply heard again) as an audio player with stop,
 * replay and download: one request per text, and a second press while it is made does nothing.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { message, request } from "../api.ts";

export interface Clip {
  readonly url: string;
  readonly seconds: number;
}

/** Speaks `text` in `voice` (an id, or "default") and returns it as a WAV blob URL. */
export async function speak(text: string, voice: string): Promise<Clip> {
  const response = await request("/v1/audio/speech", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "nobody", voice, input: text, response_format: "wav" }),
  });
  const blob = await response.blob();
  // 16-bit mono WAV: a 44-byte header, then two bytes a sample.
  const rate = new DataView(await blob.slice(24, 28).arrayBuffer()).getUint32(0, true);
  return { url: URL.createObjectURL(blob), seconds: (blob.size - 44) / 2 / rate };
}

/** Makes the clip on demand and keeps it for the same text; the player has stop and replay. */
export function useClip(voice: string) {
  const [clip, setClip] = useState<Clip | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const made = useRef<{ key: string; clip: Clip } | null>(null);
  const player = useRef<HTMLAudioElement>(null);
  useEffect(() => () => {
    if (made.current) URL.revokeObjectURL(made.current.clip.url);
  }, []);

  async function play(text: string) {
    if (busy) return; // a double click is one request and one sound
    const key = `${voice}\n${text}`;
    setError(null);
    if (made.current?.key === key) {
      const audio = player.current;
      if (audio) {
        audio.currentTime = 0;
        await audio.play().catch(() => {});
      }
      return;
    }
    setBusy(true);
    try {
      const next = await speak(text, voice);
      if (made.current) URL.revokeObjectURL(made.current.clip.url);
      made.current = { key, clip: next };
      setClip(next);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }
  return { clip, busy, error, play, player };
}

export function ClipPlayer(
  props: { clip: Clip; player: { current: HTMLAudioElement | null }; name: string; label: string },
) {
  return (
    <span class="row clip">
      <audio
        ref={props.player}
        controls
        autoPlay
        src={props.clip.url}
        aria-label={props.label}
        data-seconds={props.clip.seconds.toFixed(2)}
      />
      <a class="button" href={props.clip.url} download={props.name}>Download</a>
    </span>
  );
}
