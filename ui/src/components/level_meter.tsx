/**
 * @module
 * The microphone's level while a conversation is open, so a muted or wrong microphone shows
 * before the first turn.
 */

/** The loudness of one block in dBFS (RMS), -100 for silence. */
export function blockLevelDb(block: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < block.length; i++) sum += block[i] * block[i];
  const rms = Math.sqrt(sum / Math.max(1, block.length));
  return rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100;
}

export function LevelMeter(props: { db: number }) {
  const value = Math.max(-60, Math.min(0, props.db));
  return (
    <label class="level">
      Microphone level
      <meter
        min={-60}
        max={0}
        low={-45}
        high={-6}
        optimum={-20}
        value={value}
        data-testid="mic-level"
        data-db={props.db.toFixed(1)}
      />
    </label>
  );
}
