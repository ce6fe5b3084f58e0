/**
 * @module
 * How the core reaches its ML workers, whatever the wire: the supervisor keeps one connection per
 * ready worker and hands its transport (opaque here; a Connect gRPC transport in production) to
 * the clients that call the worker.
 */
import type { WorkerName } from "./worker_status.ts";

export interface WorkerConnection<T> {
  readonly transport: T;
  /** Closes the connection; calls in flight fail. */
  close(): void;
}

/** What a worker says it runs. */
export interface WorkerHealth {
  readonly serving: boolean;
  readonly engine: string;
  readonly engineDetail: string;
  readonly fallbacks: readonly string[];
  readonly pid: number;
  readonly sampleRate: number;
}

/** Where a client gets a ready worker's transport (the supervisor, in production). */
export interface WorkerSource<T> {
  acquire(
    name: WorkerName,
    /** `replacing`: a transport whose connection was lost; resolves with its successor. */
    options?: { signal?: AbortSignal; timeoutMs?: number; replacing?: T },
  ): Promise<T>;
}
