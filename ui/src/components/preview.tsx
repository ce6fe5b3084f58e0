/**
 * @module
 * A ready voice speaking any text: a player with stop and replay, and the WAV to download.
 */
import { useState } from "preact/hooks";
import type { Voice } from "../types.ts";
import { ClipPlayer, useClip } from "./clip.tsx";

export function Preview(props: { voice: Voice }) {
  const [text, setText] = useState("Hello! This is how my cloned voice sounds.");
  const clip = useClip(props.voice.id);
  return (
    <section aria-labelledby="preview-title">
      <h3 id="preview-title">Preview</h3>
      <label>
        Text to speak
        <input value={text} maxLength={1_000} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <div class="row">
        <button
          type="button"
          onClick={() => clip.play(text)}
          disabled={text.trim() === "" || clip.busy}
        >
          {clip.busy ? "Synthesizing…" : "Play preview"}
        </button>
        {clip.clip && (
          <ClipPlayer
            clip={clip.clip}
            player={clip.player}
            name={`${props.voice.name} preview.wav`}
            label="Preview audio"
          />
        )}
      </div>
      {clip.clip && <p role="status">{`${clip.clip.seconds.toFixed(1)} s of preview`}</p>}
      {clip.error && <p role="alert" class="error">Preview failed: {clip.error}</p>}
    </section>
  );
}
