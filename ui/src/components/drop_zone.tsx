/**
 * @module
 * Where sample files come in: dropped on the zone or chosen with the file picker.
 */
import { useState } from "preact/hooks";

export function DropZone(props: { onFiles: (files: { blob: Blob; name: string }[]) => void }) {
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
