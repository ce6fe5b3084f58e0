/**
 * @module
 * Starts each ML engine as a pool of worker processes, waits until each serves, restarts any that
 * dies (with backoff), unloads a pool that has been idle for its keep-alive (it starts again on
 * the next call), and stops them cleanly: HTTP/2 sessions first, then SIGTERM to the process
 * group (the workers exit at once, with no graceful GOAWAY), then SIGKILL for any that lingers.
 *
 * A call leases one member, the least loaded ready one, for its whole life: a stream stays on
 * the process that holds its decoder.
 */
import { NobodyError } from "../domain/errors.ts";
import { delay } from "../lib/delay.ts";
import type { Logger } from "../ports/logger.ts";
import type { WorkerName, WorkerStatus } from "../ports/worker_status.ts";
import type {
  LeaseOptions,
  WorkerConnection,
  WorkerHealth,
  WorkerLease,
  WorkerSource,
} from "../ports/worker_connection.ts";
import { backoffMs, type BackoffPolicy, DEFAULT_BACKOFF, failuresAfter } from "./backoff.ts";
import { type Member, pickMember } from "./pool_member.ts";
import type { WorkerLaunch } from "./worker_launch.ts";
import { WorkerProcess } from "./worker_process.ts";

export interface PoolSpec {
  readonly name: WorkerName;
  /** Processes in the pool (at least 1). */
  readonly size: number;
  /** Unload the pool after this long without calls; 0 keeps it loaded. */
  readonly keepAliveMs?: number;
}

export interface SupervisorOptions<T> {
  readonly pools: readonly PoolSpec[];
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

interface Pool<T> {
  readonly spec: PoolSpec;
  readonly members: Member<T>[];
  /** Called on every change of a member's state: callers waiting for a ready member look again. */
  readonly waiters: Set<() => void>;
  idleTimer: ReturnType<typeof setTimeout> | null;
  /** Resolves the members' wait for the next call while the pool is unloaded. */
  wake: (() => void) | null;
}

/** No call holds any of the pool's members. */
const idle = <T>(pool: Pool<T>) => pool.members.every((m) => m.active === 0);

export class WorkerSupervisor<T> implements WorkerSource<T> {
  readonly #options: SupervisorOptions<T>;
  readonly #pools = new Map<WorkerName, Pool<T>>();
  readonly #stopping = new AbortController();
  readonly #loops: Promise<void>[] = [];
  readonly #now: () => number;

  constructor(options: SupervisorOptions<T>) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    for (const spec of options.pools) {
      const size = Math.max(1, Math.floor(spec.size));
      this.#pools.set(spec.name, {
        spec,
        members: Array.from({ length: size }, (_, index) => ({
          name: spec.name,
          index,
          state: "starting",
          process: null,
          connection: null,
          health: null,
          restarts: 0,
          failures: 0,
          lastError: null,
          readySince: null,
          active: 0,
          served: 0,
        })),
        waiters: new Set(),
        idleTimer: null,
        wake: null,
      });
    }
  }

  /** Starts every member's supervision loop; use {@linkcode lease} to call one. */
  start(): void {
    for (const pool of this.#pools.values()) {
      for (const member of pool.members) this.#loops.push(this.#run(pool, member));
      this.#armIdle(pool);
    }
  }

  /** One entry per pool member. */
  status(): WorkerStatus[] {
    return [...this.#pools.values()].flatMap((pool) =>
      pool.members.map((m) => ({
        name: m.name,
        member: m.index,
        poolSize: pool.members.length,
        state: m.state,
        pid: m.process?.pid ?? null,
        engine: m.health?.engine ?? null,
        engineDetail: m.health?.engineDetail ?? null,
        fallbacks: m.health?.fallbacks ?? [],
        restarts: m.restarts,
        lastError: m.lastError,
        readySince: m.readySince,
        activeCalls: m.active,
        callsServed: m.served,
      }))
    );
  }

  /**
   * A ready member's transport, waiting (up to `timeoutMs`) while the pool starts, restarts or
   * reloads; for callers that only need the engine up. Calls use {@linkcode lease}.
   */
  acquire(name: WorkerName, options: LeaseOptions<T> = {}): Promise<T> {
    return this.#ready(name, options, (_, member) => member.connection!.transport);
  }

  /**
   * Leases the least loaded ready member of the pool until `release()`. `replacing` is a
   * transport whose connection was just lost: any other member, or that member's successor.
   */
  lease(name: WorkerName, options: LeaseOptions<T> = {}): Promise<WorkerLease<T>> {
    return this.#ready(name, options, (pool, member) => this.#leaseOf(pool, member));
  }

  /**
   * `take(pool, member)` on the least loaded ready member, loading an unloaded pool and waiting
   * for one if need be. `take` runs in the same turn as the pick: concurrent calls each see the
   * calls leased before them, so a burst spreads over the pool.
   */
  async #ready<R>(
    name: WorkerName,
    options: LeaseOptions<T>,
    take: (pool: Pool<T>, member: Member<T>) => R,
  ): Promise<R> {
    const pool = this.#pools.get(name);
    if (!pool) {
      throw new NobodyError("unavailable", `the ${name} worker is not enabled in this service`);
    }
    const deadline = this.#now() + (options.timeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS);
    while (true) {
      options.signal?.throwIfAborted();
      const member = pickMember(pool.members, options.replacing);
      if (member) return take(pool, member);
      if (pool.members.every((m) => m.state === "stopped")) {
        throw new NobodyError("unavailable", `the ${name} worker is stopped`);
      }
      this.#load(pool);
      const left = deadline - this.#now();
      if (left <= 0) {
        const last = pool.members.find((m) => m.lastError)?.lastError;
        throw new NobodyError(
          "unavailable",
          `the ${name} worker is not ready (${pool.members.map((m) => m.state).join(", ")}${
            last ? `; last error: ${last}` : ""
          })`,
        );
      }
      await this.#waitForChange(pool, left, options.signal);
    }
  }

  #leaseOf(pool: Pool<T>, member: Member<T>): WorkerLease<T> {
    const transport = member.connection!.transport;
    member.active++;
    member.served++;
    this.#disarmIdle(pool);
    let released = false;
    return {
      transport,
      release: () => {
        if (released) return;
        released = true;
        member.active--;
        if (idle(pool)) this.#armIdle(pool);
      },
    };
  }

  /** Unloads the pool once it has had no call for its keep-alive: no timer runs while in use. */
  #armIdle(pool: Pool<T>): void {
    const keepAliveMs = pool.spec.keepAliveMs ?? 0;
    if (keepAliveMs <= 0 || this.#stopping.signal.aborted) return;
    this.#disarmIdle(pool);
    pool.idleTimer = setTimeout(() => {
      pool.idleTimer = null;
      if (idle(pool)) this.#unload(pool);
    }, keepAliveMs);
  }

  #disarmIdle(pool: Pool<T>): void {
    if (pool.idleTimer !== null) clearTimeout(pool.idleTimer);
    pool.idleTimer = null;
  }

  #unload(pool: Pool<T>): void {
    this.#options.logger.info("unloading an idle engine", {
      worker: pool.spec.name,
      idleMs: pool.spec.keepAliveMs,
    });
    for (const member of pool.members) {
      // One still starting is left be: once ready, it waits a keep-alive of its own.
      if (member.state !== "ready") continue;
      member.state = "unloading";
      member.connection?.close(); // before the worker goes: see the module doc
      member.process?.kill("SIGTERM");
    }
  }

  /** A call arrived for an unloaded pool: its members start again. */
  #load(pool: Pool<T>): void {
    const wake = pool.wake;
    pool.wake = null;
    wake?.();
  }

  #waitForChange(pool: Pool<T>, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pool.waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pool.waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  #set(pool: Pool<T>, member: Member<T>, state: Member<T>["state"]): void {
    member.state = state;
    for (const waiter of [...pool.waiters]) waiter();
  }

  /** Resolves on the pool's next call (or the supervisor's stop). */
  #nextCall(pool: Pool<T>): Promise<void> {
    const signal = this.#stopping.signal;
    return new Promise<void>((resolve) => {
      const previous = pool.wake;
      const done = () => {
        signal.removeEventListener("abort", done);
        resolve();
      };
      pool.wake = () => {
        previous?.();
        done();
      };
      signal.addEventListener("abort", done, { once: true });
    });
  }

  async #run(pool: Pool<T>, member: Member<T>): Promise<void> {
    const { logger } = this.#options;
    const signal = this.#stopping.signal;
    const socketPath = `${this.#options.socketDir}/${member.name}${
      member.index > 0 ? `-${member.index}` : ""
    }.sock`;
    while (!signal.aborted) {
      if (member.state === "unloaded") {
        await this.#nextCall(pool);
        if (signal.aborted) break;
        this.#set(pool, member, "starting");
      }
      const startedAt = this.#now();
      try {
        const process = await WorkerProcess.start(this.#options.launch(member.name, socketPath), {
          name: member.name,
          logger,
          readyTimeoutMs: this.#options.readyTimeoutMs ?? 60_000,
          signal,
        });
        member.process = process;
        const connection = this.#options.connect(socketPath);
        member.connection = connection;
        member.health = await this.#options.probe(connection.transport, {
          signal,
          timeoutMs: 5_000,
        });
        member.readySince = this.#now();
        this.#set(pool, member, "ready");
        if (idle(pool)) this.#armIdle(pool);
        logger.info("worker ready", {
          worker: member.name,
          member: member.index,
          pid: process.pid,
          engine: member.health.engine,
          startMs: member.readySince - startedAt,
        });
        const status = await process.exited;
        if (signal.aborted) break;
        if (member.state === "unloading") {
          this.#clear(member);
          this.#set(pool, member, "unloaded");
          continue;
        }
        member.lastError = status.signal
          ? `killed by ${status.signal}`
          : `exited with code ${status.code}`;
      } catch (error) {
        if (signal.aborted) break;
        member.lastError = error instanceof Error ? error.message : String(error);
        member.process?.kill("SIGKILL");
      }
      this.#clear(member);
      const policy = this.#options.backoff ?? DEFAULT_BACKOFF;
      member.failures = failuresAfter(policy, member.failures, this.#now() - startedAt);
      member.restarts++;
      this.#set(pool, member, "restarting");
      const wait = backoffMs(policy, member.failures);
      logger.warn("worker stopped unexpectedly; restarting", {
        worker: member.name,
        member: member.index,
        reason: member.lastError,
        inMs: wait,
      });
      await delay(wait, { signal }).catch(() => {});
    }
    this.#set(pool, member, "stopped");
  }

  #clear(member: Member<T>): void {
    member.connection?.close();
    member.connection = null;
    member.process = null;
    member.readySince = null;
  }

  /** Stops every worker and waits for the supervision loops to end. */
  async stop(): Promise<void> {
    if (this.#stopping.signal.aborted) return;
    this.#stopping.abort();
    const processes: WorkerProcess[] = [];
    for (const pool of this.#pools.values()) {
      this.#disarmIdle(pool);
      for (const member of pool.members) {
        member.connection?.close(); // before the worker goes: see the module doc
        member.connection = null;
        if (member.process) processes.push(member.process);
      }
    }
    for (const process of processes) process.kill("SIGTERM");
    await Promise.all(processes.map(async (process) => {
      const timer = setTimeout(() => process.kill("SIGKILL"), STOP_GRACE_MS);
      await process.exited;
      clearTimeout(timer);
    }));
    await Promise.all(this.#loops);
    for (const pool of this.#pools.values()) {
      for (const member of pool.members) {
        member.process = null;
        this.#set(pool, member, "stopped");
      }
    }
  }
}
