/**
 * @module
 * Browser recordings as 16-bit mono WAV, the format every part of nobody reads.
 */

export function encodeWav(blocks: readonly Float32Array[], sampleRate: number): Blob {
  const frames = blocks.reduce((n, b) => n + b.length, 0);
  const bytes = new ArrayBuffer(44 + frames * 2);
  const view = new DataView(bytes);
  const text = (at: number, value: string) => {
    for (let i = 0; i < value.length; i++) view.setUint8(at + i, value.charCodeAt(i));
  };
  text(0, "RIFF");
  view.setUint32(4, 36 + frames * 2, true);
  text(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, frames * 2, true);
  let at = 44;
  for (const block of blocks) {
    for (const x of block) {
      const v = Math.max(-1, Math.min(1, x));
      view.setInt16(at, Math.round(v < 0 ? v * 32768 : v * 32767), true);
      at += 2;
    }
  }
  return new Blob([bytes], { type: "audio/wav" });
}
