/**
 * @module
 * nobody's composition root and command line. This is the only module that constructs adapters
 * and wires them into the application services.
 */
import { fileURLToPath } from "node:url";
import denoJson from "./deno.json" with { type: "json" };
import type { Config } from "./src/config/config.ts";
import type { DomainEvent } from "./src/domain/events.ts";
import { type IdKind, makeId } from "./src/domain/ids.ts";
import type { Hono } from "hono";
import type { Logger } from "./src/ports/logger.ts";
import { openDatabase } from "./src/adapters/sqlite/database.ts";
import { SqliteVoiceRepository } from "./src/adapters/sqlite/sqlite_voice_repository.ts";
import { SqlitePersonaRepository } from "./src/adapters/sqlite/sqlite_persona_repository.ts";
import { DiskFileStore } from "./src/adapters/files/disk_file_store.ts";
import { privateDataDir } from "./src/adapters/files/private_dir.ts";
import { socketDirectory } from "./src/adapters/files/socket_dir.ts";
import { commandExists } from "./src/adapters/os/command_exists.ts";
import { loadOrCreateToken, tokenFingerprint } from "./src/adapters/files/token_file.ts";
import { ConsoleLogger } from "./src/adapters/log/console_logger.ts";
import { EventBus } from "./src/app/event_bus.ts";
import { VoiceService } from "./src/app/voice_service.ts";
import { QUARANTINE_DIR } from "./src/domain/voice_files.ts";
import { PersonaService } from "./src/app/persona_service.ts";
import { type DeviceLease, SessionManager } from "./src/app/session_manager.ts";
import { SqliteHistoryRepository } from "./src/adapters/sqlite/sqlite_history_repository.ts";
import { SqliteMetricsRepository } from "./src/adapters/sqlite/sqlite_metrics_repository.ts";
import { SqliteTrainingJobRepository } from "./src/adapters/sqlite/sqlite_training_job_repository.ts";
import { SqliteDashboardSessions } from "./src/adapters/sqlite/sqlite_dashboard_sessions.ts";
import { DashboardLogin } from "./src/app/dashboard_login.ts";
import { TrainingService } from "./src/app/training_service.ts";
import { providerFor } from "./src/adapters/llm/llm_router.ts";
import { checkModel } from "./src/app/model_check.ts";
import { statusReport } from "./src/app/status.ts";
import { SpeechService } from "./src/app/speech_service.ts";
import { ffmpegEncoder } from "./src/adapters/audio/ffmpeg_encode.ts";
import { listDevicesInChild } from "./src/adapters/audio/device_list_process.ts";
import { RecentProblems } from "./src/adapters/log/recent_problems.ts";
import { llmReachability } from "./src/adapters/llm/reachability.ts";
import { createHttpApp } from "./src/http/app.ts";
import type { ClientGone } from "./src/http/client_gone.ts";
import { describeError } from "./src/cli/cli_error.ts";
import { type Handlers, run } from "./src/cli/run.ts";
import { commandHandlers } from "./src/cli/handlers.ts";
import { serveCommand, type Service } from "./src/cli/serve_command.ts";
import type { EngineRig } from "./src/cli/engine_check.ts";
import { UI_ASSETS } from "./ui/assets.ts";
import { deviceOpener } from "./src/adapters/audio/device_opener.ts";
import { workersOff } from "./src/adapters/workers_off.ts";
import { WorkerSupervisor } from "./src/workers/supervisor.ts";
import type { Transport } from "@connectrpc/connect";
import { launchFor } from "./src/workers/worker_launch.ts";
import { enginePools } from "./src/workers/pool_size.ts";
import { isCompiled, unpackWorkers } from "./src/workers/unpack.ts";
import type { BackoffPolicy } from "./src/workers/backoff.ts";
import { createWorkerTransport } from "./src/adapters/grpc/transport.ts";
import { probeHealth } from "./src/adapters/grpc/health.ts";
import { GrpcSttEngine } from "./src/adapters/grpc/grpc_stt.ts";
import { GrpcTtsEngine } from "./src/adapters/grpc/grpc_tts.ts";
import { GrpcTrainer } from "./src/adapters/grpc/grpc_trainer.ts";
import { RemoteEndpoint } from "./src/adapters/remote_speech/remote_endpoint.ts";
import { RemoteSttEngine } from "./src/adapters/remote_speech/remote_stt.ts";
import { RemoteTtsEngine } from "./src/adapters/remote_speech/remote_tts.ts";
import type { Trainer } from "./src/ports/trainer.ts";
import type { SampleAnalyzer } from "./src/ports/sample_analyzer.ts";
import type { SttEngine } from "./src/ports/stt_engine.ts";
import type { TtsEngine } from "./src/ports/tts_engine.ts";

export const VERSION: string = denoJson.version;

/** The folder holding pyproject.toml and workers/: the source tree next to this file. */
const SOURCE_DIR = fileURLToPath(new URL(".", import.meta.url)).replace(/\/$/, "");

export interface Workers {
  readonly supervisor: WorkerSupervisor<Transport>;
  readonly stt: SttEngine;
  readonly tts: TtsEngine;
  readonly trainer: Trainer & SampleAnalyzer;
}

/** The trainer makes what the TTS engine loads, so it follows the TTS engine's choice. */
const TRAINER_ENGINE: Record<string, string> = { auto: "auto", pocket: "pocket", espeak: "espeak" };

/** Starts the ML workers under supervision; engines acquire them as they become ready. */
export async function createWorkers(
  c: Config,
  logger: Logger,
  options: { backoff?: BackoffPolicy } = {},
): Promise<Workers> {
  const socketDir = await socketDirectory(c.dataDir);
  const uvAvailable = await commandExists("uv");
  const unpack = c.workers.unpack === "always" ||
    (c.workers.unpack === "auto" && isCompiled(import.meta.url));
  let sourceDir = SOURCE_DIR;
  if (unpack) {
    const unpacked = await unpackWorkers({
      sourceDir: SOURCE_DIR,
      dataDir: c.dataDir,
      version: VERSION,
    });
    if (unpacked.unpacked) logger.info("unpacked the ML workers", { dir: unpacked.dir });
    sourceDir = unpacked.dir;
  }
  const supervisor = new WorkerSupervisor({
    pools: enginePools({
      stt: c.engines.stt.provider === "local" ? c.workers.sttEngine : null,
      tts: c.engines.tts.provider === "local" ? c.workers.ttsEngine : null,
      sttProcesses: c.workers.sttProcesses,
      ttsProcesses: c.workers.ttsProcesses,
      keepAliveMs: c.workers.keepAliveMs,
      cores: navigator.hardwareConcurrency || 1,
      memoryBytes: Deno.systemMemoryInfo().total,
    }),
    socketDir,
    launch: (name, socketPath) =>
      launchFor(name, {
        sourceDir,
        runner: c.workers.runner,
        uvAvailable,
        python: c.workers.python,
        socketPath,
        engine: name === "stt"
          ? c.workers.sttEngine
          : name === "tts"
          ? c.workers.ttsEngine
          : TRAINER_ENGINE[c.workers.ttsEngine],
        voicesDir: `${c.dataDir}/voices`,
      }),
    connect: createWorkerTransport,
    probe: probeHealth,
    logger,
    backoff: options.backoff,
  });
  supervisor.start();
  return {
    supervisor,
    stt: new GrpcSttEngine(supervisor),
    tts: new GrpcTtsEngine(supervisor),
    trainer: new GrpcTrainer(supervisor),
  };
}

export interface Core {
  readonly app: Hono;
  readonly token: string;
  readonly voices: VoiceService;
  readonly personas: PersonaService;
  readonly sessions: SessionManager;
  readonly events: EventBus<DomainEvent>;
  /** Tells the status report where the server listens. */
  setUrl(url: string): void;
  /** A one-time dashboard sign-in path (`/ui/login?code=…`) valid for `ttlMs`. */
  signInPath(ttlMs: number): string;
  close(): Promise<void>;
}

/** Builds the whole service on a data dir: the one place that constructs adapters. */
export async function createCore(
  c: Config,
  baseLogger: Logger,
  options: {
    workers?: Workers | null;
    openDevices?: () => Promise<DeviceLease>;
    clientGone?: ClientGone;
    /** The caller made the data dir private and checked it already (serve does, before workers). */
    dataDirReady?: boolean;
  } = {},
): Promise<Core> {
  // The status page lists recent problems; `serve` shares one with the workers' supervisor.
  const problems = baseLogger instanceof RecentProblems
    ? baseLogger
    : new RecentProblems(baseLogger);
  const logger: Logger = problems;
  if (!options.dataDirReady) await privateDataDir(c.dataDir);
  const db = openDatabase(`${c.dataDir}/nobody.db`);
  try {
    const clock = { now: () => Date.now() };
    const ids = {
      next: (kind: IdKind) => makeId(kind, crypto.getRandomValues(new Uint8Array(20))),
    };
    const events = new EventBus<DomainEvent>({
      onListenerError: (error, event) =>
        logger.error("event listener failed", { event: event.type, error: String(error) }),
    });
    const voiceRepo = new SqliteVoiceRepository(db);
    const personaRepo = new SqlitePersonaRepository(db);
    const files = new DiskFileStore(c.dataDir);
    const local = options.workers ?? workersOff();
    // A speech engine on another server replaces the local pool of its kind.
    const remoteStt = c.engines.stt.provider === "openai"
      ? new RemoteEndpoint({ kind: "stt", ...c.engines.stt })
      : null;
    const remoteTts = c.engines.tts.provider === "openai"
      ? new RemoteEndpoint({ kind: "tts", ...c.engines.tts })
      : null;
    const engines = {
      trainer: local.trainer,
      stt: remoteStt ? new RemoteSttEngine(remoteStt) : local.stt,
      tts: remoteTts
        ? new RemoteTtsEngine(remoteTts, {
          defaultVoice: c.engines.tts.voice,
          voiceName: (id) => voiceRepo.getVoice(id)?.name ?? null,
        })
        : local.tts,
    };
    const voices = new VoiceService({
      voices: voiceRepo,
      files,
      clock,
      ids,
      events,
      analyzer: engines.trainer,
      stt: engines.stt,
      logger,
    });
    const history = new SqliteHistoryRepository(db);
    const training = new TrainingService({
      jobs: new SqliteTrainingJobRepository(db),
      voices: voiceRepo,
      files,
      trainer: engines.trainer,
      clock,
      ids,
      events,
    });
    const interrupted = training.recover();
    if (interrupted > 0) {
      logger.warn("training jobs were interrupted by a stop; start them again", {
        count: interrupted,
      });
    }
    const personas = new PersonaService({
      personas: personaRepo,
      voices: voiceRepo,
      history,
      clock,
      ids,
      events,
      readyBeforeTraining: (voiceId) => training.wasReadyBefore(voiceId),
    });
    const sessions = new SessionManager({
      ids,
      defaultPersonaId: () => personas.defaultPersona().id,
      openDevices: options.openDevices ?? deviceOpener(c.audio),
      session: {
        stt: engines.stt,
        tts: engines.tts,
        llm: (settings) => providerFor(settings, c.llm),
        history,
        metrics: new SqliteMetricsRepository(db),
        persona: (id) => personaRepo.getPersona(id),
        voiceExists: (id) => voiceRepo.getVoice(id) !== null,
        publish: (event) => events.publish(event),
        now: () => performance.now(),
        wallClock: () => Date.now(),
      },
    });

    const speech = new SpeechService({
      voices: voiceRepo,
      tts: engines.tts,
      stt: engines.stt,
      analyzer: engines.trainer,
      files,
      ids,
      readyBeforeTraining: (voiceId) => training.wasReadyBefore(voiceId),
    });
    await files.removeTree("tmp"); // transcriptions cut off by a stop
    const swept = await voices.sweep();
    if (swept.removed.length > 0) {
      logger.info("removed temp files left by an interrupted write", {
        count: swept.removed.length,
      });
    }
    if (swept.quarantined.length > 0) {
      logger.warn(
        "moved audio that the database does not know to the quarantine folder; `nobody doctor` lists it",
        { count: swept.quarantined.length, dir: `${c.dataDir}/${QUARANTINE_DIR}` },
      );
    }

    const { token, created } = await loadOrCreateToken(c.dataDir);
    if (created) logger.info("created API token", { path: `${c.dataDir}/token` });
    const fingerprint = await tokenFingerprint(token);
    const login = new DashboardLogin({
      sessions: new SqliteDashboardSessions(db),
      clock,
      random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    });
    const startedAt = clock.now();
    let url = "";
    const app = createHttpApp({
      voices,
      personas,
      sessions,
      training,
      speech,
      encoder: ffmpegEncoder(), // ffmpeg is looked up once, when compressed speech is first asked for
      events,
      token,
      login,
      // Cookies on localhost are shared between ports: the name keeps two data dirs apart.
      cookieName: `nobody_${fingerprint.slice(0, 8)}`,
      maxUploadBytes: c.server.maxUploadBytes,
      uiAssets: UI_ASSETS,
      logger,
      clientGone: options.clientGone,
      status: () =>
        statusReport({
          version: VERSION,
          startedAt,
          clock,
          pid: Deno.pid,
          url: () => url,
          dataDir: c.dataDir,
          voices: voiceRepo,
          personas: personaRepo,
          workers: () => options.workers?.supervisor.status() ?? [],
          remoteEngines: () =>
            Promise.all([remoteStt, remoteTts].flatMap((r) => r ? [r.status()] : [])),
          problems: () => problems.list(),
          memory: () => Deno.memoryUsage(),
        }),
      llmStatus: () => llmReachability(c.llm.ollamaUrl),
      testModel: (settings, signal) =>
        checkModel(providerFor(settings, c.llm), settings, {
          now: () => performance.now(),
          signal,
        }),
      devices: () =>
        listDevicesInChild({
          command: [
            Deno.execPath(),
            ...(isCompiled(import.meta.url)
              ? []
              : ["run", "--allow-all", fileURLToPath(import.meta.url)]),
            "devices",
            "--json",
            "--data-dir",
            c.dataDir,
          ],
          env: { NOBODY_PORTAUDIO_LIB: c.audio.portaudioLibrary },
        }),
    });
    return {
      app,
      token,
      voices,
      personas,
      sessions,
      events,
      setUrl: (value) => url = value,
      signInPath: (ttlMs) => `/ui/login?code=${login.issueCode({ ttlMs }).code}`,
      close: async () => {
        await sessions.closeAll();
        await training.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** `serve`: the workers and the core, built here, behind the HTTP server of serve_command.ts. */
async function startService(c: Config, logger: Logger, clientGone: ClientGone): Promise<Service> {
  const workers = c.workers.enabled ? await createWorkers(c, logger) : null;
  const core = await createCore(c, logger, { workers, clientGone, dataDirReady: true })
    .catch(async (error) => {
      await workers?.supervisor.stop();
      throw error;
    });
  return {
    fetch: core.app.fetch,
    setUrl: (url) => core.setUrl(url),
    signInPath: (ttlMs) => core.signInPath(ttlMs),
    close: async () => {
      await core.close();
      await workers?.supervisor.stop();
    },
  };
}

/**
 * The workers for `doctor --engines`, in a private temp data dir: a running service keeps its own
 * sockets and voices, untouched.
 */
async function engineRig(c: Config): Promise<EngineRig> {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-doctor-" });
  // It checks the engines of this machine, whatever the config sends to remote servers.
  const config: Config = {
    ...c,
    dataDir,
    engines: {
      stt: { ...c.engines.stt, provider: "local" },
      tts: { ...c.engines.tts, provider: "local" },
    },
  };
  const workers = await createWorkers(config, new ConsoleLogger({ level: "error" }));
  return {
    stt: workers.stt,
    tts: workers.tts,
    trainer: workers.trainer,
    voicesDir: `${dataDir}/voices`,
    scratchDir: dataDir,
    ready: async (signal) => {
      for (const name of ["tts", "stt", "trainer"] as const) {
        await workers.supervisor.acquire(name, { signal, timeoutMs: 120_000 });
      }
    },
    status: () => workers.supervisor.status(),
    stop: async () => {
      await workers.supervisor.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}

/** The commands, with what they need built here. */
const handlers: Handlers = {
  ...commandHandlers({
    version: VERSION,
    mainUrl: import.meta.url,
    compiled: isCompiled(import.meta.url),
    engineRig,
  }),
  serve: (c, signal) => serveCommand(c, signal, { version: VERSION, start: startService }),
};

export function main(args: string[]): Promise<number> {
  return run(args, handlers);
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    const { line, exitCode } = describeError(error);
    console.error(line);
    if (Deno.env.get("NOBODY_DEBUG")) console.error(error);
    Deno.exit(exitCode);
  }
}
