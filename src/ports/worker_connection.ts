/**
 * @module
 * How the core reaches its ML workers, whatever the wire: the supervisor keeps one connection per
 * ready worker process and hands its transport (opaque here; a Connect gRPC transport in production) to
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

export interface LeaseOptions<T> {
  readonly signal?: AbortSignal;
  /** How long to wait for a ready worker while the pool starts, restarts or reloads. */
  readonly timeoutMs?: number;
  /** A transport whose connection was lost: another member, or its successor. */
  readonly replacing?: T;
}

/** One call's hold on a worker; `release()` when the call ends, however it ends. */
export interface WorkerLease<T> {
  readonly transport: T;
  release(): void;
}

/** Where a client gets a ready worker's transport (the supervisor's pools, in production). */
export interface WorkerSource<T> {
  lease(name: WorkerName, options?: LeaseOptions<T>): Promise<WorkerLease<T>>;
}
