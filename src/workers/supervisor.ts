/**
 * @module
 * Starts the Python workers, waits until each serves, restarts any that dies (with backoff), and
 * stops them cleanly: HTTP/2 sessions first, then SIGTERM to the process group (the workers exit
 * at once, with no graceful GOAWAY), then SIGKILL for any that lingers.
 */
import { NobodyError } from "../domain/errors.ts";
import { delay } from "../lib/delay.ts";
import type { Logger } from "../ports/logger.ts";
import type { WorkerName, WorkerState, WorkerStatus } from "../ports/worker_status.ts";
import type { WorkerConnection, WorkerHealth, WorkerSource } from "../ports/worker_connection.ts";
import { backoffMs, type BackoffPolicy, DEFAULT_BACKOFF, failuresAfter } from "./backoff.ts";
import type { WorkerLaunch } from "./worker_launch.ts";
import { WorkerProcess } from "./worker_process.ts";

export interface SupervisorOptions<T> {
  readonly workers: readonly WorkerName[];
  readonly socketDir: string;
  readonly launch: (name: WorkerName, socketPath: string) => WorkerLaunch;
  readonly connect: (socketPath: string) => WorkerConnection<T>;
  readonly probe: (
    transport: T,
    options: { signal?: AbortSignal; timeoutMs: number },
  ) => Promise<WorkerHealth>;
  readonly logger: Logger;
  readonly backoff?: BackoffPolicy;
  /** Model loading happens before "ready"; a minute covers a cold start of the large engines. */
  readonly readyTimeoutMs?: number;
  readonly now?: () => number;
}

/** How long a caller waits for a worker that is (re)starting before it gets `unavailable`. */
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 15_000;
/** A worker gets this long after SIGTERM before SIGKILL; they exit at once, so it is generous. */
const STOP_GRACE_MS = 2_000;

interface Slot<T> {
  readonly name: WorkerName;
  state: WorkerState;
  process: WorkerProcess | null;
  transport: WorkerConnection<T> | null;
  health: WorkerHealth | null;
  restarts: number;
  failures: number;
  lastError: string | null;
  readySince: number | null;
  readonly waiters: Set<() => void>;
}

export class WorkerSupervisor<T> implements WorkerSource<T> {
  readonly #options: SupervisorOptions<T>;
  readonly #slots = new Map<WorkerName, Slot<T>>();
  readonly #stopping = new AbortController();
  readonly #loops: Promise<void>[] = [];
  readonly #now: () => number;

  constructor(options: SupervisorOptions<T>) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    for (const name of options.workers) {
      this.#slots.set(name, {
        name,
        state: "starting",
        process: null,
        transport: null,
        health: null,
        restarts: 0,
        failures: 0,
        lastError: null,
        readySince: null,
        waiters: new Set(),
      });
    }
  }

  /** Starts every worker's supervision loop; use {@linkcode acquire} to wait for one. */
  start(): void {
    for (const slot of this.#slots.values()) this.#loops.push(this.#run(slot));
  }

  status(): WorkerStatus[] {
    return [...this.#slots.values()].map((slot) => ({
      name: slot.name,
      state: slot.state,
      pid: slot.process?.pid ?? null,
      engine: slot.health?.engine ?? null,
      engineDetail: slot.health?.engineDetail ?? null,
      fallbacks: slot.health?.fallbacks ?? [],
      restarts: slot.restarts,
      lastError: slot.lastError,
      readySince: slot.readySince,
    }));
  }

  /**
   * The transport of a ready worker, waiting (up to `timeoutMs`) while it starts or restarts.
   * `replacing` is a transport whose connection was just lost: wait for the one that follows it.
   */
  async acquire(
    name: WorkerName,
    options: { signal?: AbortSignal; timeoutMs?: number; replacing?: T } = {},
  ): Promise<T> {
    const slot = this.#slots.get(name);
    if (!slot) {
      throw new NobodyError("unavailable", `the ${name} worker is not enabled in this service`);
    }
    const deadline = this.#now() + (options.timeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS);
    while (true) {
      options.signal?.throwIfAborted();
      if (
        slot.state === "ready" && slot.transport && slot.transport.transport !== options.replacing
      ) return slot.transport.transport;
      if (slot.state === "stopped") {
        throw new NobodyError("unavailable", `the ${name} worker is stopped`);
      }
      const left = deadline - this.#now();
      if (left <= 0) {
        throw new NobodyError(
          "unavailable",
          `the ${name} worker is not ready (${slot.state}${
            slot.lastError ? `; last error: ${slot.lastError}` : ""
          })`,
        );
      }
      await this.#waitForChange(slot, left, options.signal);
    }
  }

  #waitForChange(slot: Slot<T>, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        slot.waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      slot.waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  #set(slot: Slot<T>, state: WorkerState): void {
    slot.state = state;
    for (const waiter of [...slot.waiters]) waiter();
  }

  async #run(slot: Slot<T>): Promise<void> {
    const { logger } = this.#options;
    const signal = this.#stopping.signal;
    const socketPath = `${this.#options.socketDir}/${slot.name}.sock`;
    while (!signal.aborted) {
      const startedAt = this.#now();
      try {
        const process = await WorkerProcess.start(this.#options.launch(slot.name, socketPath), {
          name: slot.name,
          logger,
          readyTimeoutMs: this.#options.readyTimeoutMs ?? 60_000,
          signal,
        });
        slot.process = process;
        const transport = this.#options.connect(socketPath);
        slot.transport = transport;
        slot.health = await this.#options.probe(transport.transport, { signal, timeoutMs: 5_000 });
        slot.readySince = this.#now();
        this.#set(slot, "ready");
        logger.info("worker ready", {
          worker: slot.name,
          pid: process.pid,
          engine: slot.health.engine,
        });
        const status = await process.exited;
        if (signal.aborted) break;
        slot.lastError = status.signal
          ? `killed by ${status.signal}`
          : `exited with code ${status.code}`;
      } catch (error) {
        if (signal.aborted) break;
        slot.lastError = error instanceof Error ? error.message : String(error);
        slot.process?.kill("SIGKILL");
      }
      slot.transport?.close();
      slot.transport = null;
      slot.process = null;
      slot.readySince = null;
      const policy = this.#options.backoff ?? DEFAULT_BACKOFF;
      slot.failures = failuresAfter(policy, slot.failures, this.#now() - startedAt);
      slot.restarts++;
      this.#set(slot, "restarting");
      const wait = backoffMs(policy, slot.failures);
      logger.warn("worker stopped unexpectedly; restarting", {
        worker: slot.name,
        reason: slot.lastError,
        inMs: wait,
      });
      await delay(wait, { signal }).catch(() => {});
    }
    this.#set(slot, "stopped");
  }

  /** Stops every worker and waits for the supervision loops to end. */
  async stop(): Promise<void> {
    if (this.#stopping.signal.aborted) return;
    this.#stopping.abort();
    const processes: WorkerProcess[] = [];
    for (const slot of this.#slots.values()) {
      slot.transport?.close(); // before the worker goes: see the module doc
      slot.transport = null;
      if (slot.process) processes.push(slot.process);
    }
    for (const process of processes) process.kill("SIGTERM");
    await Promise.all(processes.map(async (process) => {
      const timer = setTimeout(() => process.kill("SIGKILL"), STOP_GRACE_MS);
      await process.exited;
      clearTimeout(timer);
    }));
    await Promise.all(this.#loops);
    for (const slot of this.#slots.values()) {
      slot.process = null;
      this.#set(slot, "stopped");
    }
  }
}
