/**
 * @module
 * A synchronous broadcast of domain events. A failing listener is reported and never stops the
 * publisher or the other listeners.
 */

export type Listener<E> = (event: E) => void;

export class EventBus<E extends { readonly type: string }> {
  readonly #listeners = new Set<Listener<E>>();
  readonly #onListenerError: (error: unknown, event: E) => void;

  constructor(options: { onListenerError: (error: unknown, event: E) => void }) {
    this.#onListenerError = options.onListenerError;
  }

  /** Returns the function that unsubscribes; an AbortSignal unsubscribes too. */
  subscribe(listener: Listener<E>, options: { signal?: AbortSignal } = {}): () => void {
    const entry: Listener<E> = (event) => listener(event);
    this.#listeners.add(entry);
    const unsubscribe = () => {
      this.#listeners.delete(entry);
      options.signal?.removeEventListener("abort", unsubscribe);
    };
    options.signal?.addEventListener("abort", unsubscribe, { once: true });
    if (options.signal?.aborted) unsubscribe();
    return unsubscribe;
  }

  publish(event: E): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
