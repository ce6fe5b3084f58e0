/**
 * @module
 * The producer half of the two-thread ring test: writes 0, 1, 2, ... in chunks of varying size
 * as fast as the ring takes them.
 */
import { SpscRing } from "./ring.ts";

const scope = self as unknown as {
  postMessage(message: string): void;
  onmessage: ((event: MessageEvent<{ buffer: SharedArrayBuffer; total: number }>) => void) | null;
};

scope.onmessage = (event) => {
  const ring = new SpscRing(event.data.buffer);
  const chunk = new Float32Array(1000);
  let next = 0;
  while (next < event.data.total) {
    const size = Math.min(1 + (next % 1000), event.data.total - next);
    for (let i = 0; i < size; i++) chunk[i] = (next + i) % 16_777_216;
    next += ring.write(chunk, 0, size);
  }
  scope.postMessage("done");
};
