/**
 * @module
 * Joins byte chunks into one new array (always a copy, so a reused read buffer can be passed).
 */

export function concatBytes(...chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
