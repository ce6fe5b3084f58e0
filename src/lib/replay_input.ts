/**
 * @module
 * The input of a client-streaming call that may have to be sent again: every item stays until
 * `settle()` says the call is past the point of retrying, and each `reader()` reads from the
 * start. After `settle()` the items are dropped as the one reader passes them.
 */

export class ReplayInput<T> {
  readonly #maxReplay: number;
  #items: T[] = [];
  /** Index, in the whole stream, of `#items[0]`. */
  #base = 0;
  #ended = false;
  #settled = false;
  #wake: (() => void) | null = null;

  /** Past `maxReplay` items the stream settles by itself: memory stays bounded. */
  constructor(options: { maxReplay?: number } = {}) {
    this.#maxReplay = options.maxReplay ?? Infinity;
  }

  get ended(): boolean {
    return this.#ended;
  }

  push(item: T): void {
    if (this.#ended) throw new Error("push after end");
    this.#items.push(item);
    if (this.#base + this.#items.length > this.#maxReplay) this.#settled = true;
    this.#notify();
  }

  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /** No more retries: items are released once read. */
  settle(): void {
    this.#settled = true;
  }

  /** A fresh pass over the stream from its first item (only one reader at a time). */
  async *reader(signal: AbortSignal): AsyncIterable<T> {
    let next = this.#base;
    while (!signal.aborted) {
      if (next - this.#base < this.#items.length) {
        const item = this.#items[next - this.#base];
        next++;
        if (this.#settled) {
          // Drop what this reader has passed; a settled stream is never read again.
          this.#items.splice(0, next - this.#base);
          this.#base = next;
        }
        yield item;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          this.#wake = null;
          resolve();
        };
        this.#wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }

  #notify(): void {
    this.#wake?.();
  }
}
