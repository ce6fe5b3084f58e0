/**
 * @module
 * An unbounded single-consumer queue that is also an async iterable: the producer pushes and ends
 * (or fails) it; the consumer awaits items. Used to feed client-streamed gRPC requests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AsyncQueue } from "./async_queue.ts";
 * const queue = new AsyncQueue<number>();
 * queue.push(1);
 * queue.push(2);
 * queue.end();
 * const seen: number[] = [];
 * for await (const n of queue) seen.push(n);
 * assert.deepEqual(seen, [1, 2]);
 * ```
 */

export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #waiting: ((result: IteratorResult<T>) => void) | null = null;
  #failWaiting: ((error: unknown) => void) | null = null;
  #ended = false;
  #error: { error: unknown } | null = null;
  readonly #onReturn: (() => void) | undefined;

  /** `onReturn` runs when the consumer stops iterating before the end (break, return, throw). */
  constructor(options: { onReturn?: () => void } = {}) {
    this.#onReturn = options.onReturn;
  }

  push(item: T): void {
    if (this.#ended) throw new Error("push after end");
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = this.#failWaiting = null;
      resolve({ value: item, done: false });
    } else {
      this.#items.push(item);
    }
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = this.#failWaiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  /** Ends the queue with an error the consumer receives after the items already queued. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#error = { error };
    this.#ended = true;
    if (this.#failWaiting) {
      const reject = this.#failWaiting;
      this.#waiting = this.#failWaiting = null;
      reject(error);
    }
  }

  get ended(): boolean {
    return this.#ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.#items.length > 0) {
          return Promise.resolve({ value: this.#items.shift()!, done: false });
        }
        if (this.#error) return Promise.reject(this.#error.error);
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.#waiting = resolve;
          this.#failWaiting = reject;
        });
      },
      return: () => {
        const early = !this.#ended;
        this.end();
        this.#items.length = 0;
        if (early) this.#onReturn?.();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
