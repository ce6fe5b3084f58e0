/**
 * @module
 * The status report behind GET /status.
 */
import type { Clock } from "../ports/runtime.ts";
import type { PersonaRepository } from "../ports/persona_repository.ts";
import type { VoiceRepository } from "../ports/voice_repository.ts";
import type { WorkerStatus } from "../ports/worker_status.ts";
import type { RemoteEngineStatus } from "../ports/engine_status.ts";
import type { LoggedProblem } from "../ports/logger.ts";

export interface StatusDeps {
  readonly version: string;
  readonly startedAt: number;
  readonly clock: Clock;
  readonly pid: number;
  readonly url: () => string;
  readonly dataDir: string;
  readonly voices: VoiceRepository;
  readonly personas: PersonaRepository;
  readonly workers: () => WorkerStatus[];
  /** Speech engines on other servers; asking may take a moment (each is checked then). */
  readonly remoteEngines: () => Promise<RemoteEngineStatus[]>;
  readonly problems: () => LoggedProblem[];
  readonly memory: () => MemoryFigures;
}

/** The service's memory in bytes: all of it (rss), and the JavaScript heap in use. */
export interface MemoryFigures {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
}

export interface StatusReport {
  readonly service: "nobody";
  readonly version: string;
  readonly pid: number;
  readonly url: string;
  readonly dataDir: string;
  readonly startedAt: number;
  readonly uptimeMs: number;
  readonly counts: { readonly voices: number; readonly samples: number; readonly personas: number };
  readonly workers: WorkerStatus[];
  readonly remoteEngines: RemoteEngineStatus[];
  /** The latest warnings and errors, newest first. */
  readonly problems: LoggedProblem[];
  readonly memory: MemoryFigures;
}

export async function statusReport(deps: StatusDeps): Promise<StatusReport> {
  const totals = [...deps.voices.sampleTotals().values()];
  return {
    service: "nobody",
    version: deps.version,
    pid: deps.pid,
    url: deps.url(),
    dataDir: deps.dataDir,
    startedAt: deps.startedAt,
    uptimeMs: deps.clock.now() - deps.startedAt,
    counts: {
      voices: deps.voices.listVoices().length,
      samples: totals.reduce((sum, t) => sum + t.count, 0),
      personas: deps.personas.listPersonas().length,
    },
    workers: deps.workers(),
    remoteEngines: await deps.remoteEngines(),
    problems: deps.problems(),
    memory: deps.memory(),
  };
}
