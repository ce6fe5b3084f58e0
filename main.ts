/**
 * @module
 * nobody's composition root and command line. This is the only module that constructs adapters
 * and wires them into the application services.
 */
import { parseArgs } from "node:util";
import denoJson from "./deno.json" with { type: "json" };
import { type Config, CONFIG_FLAGS, loadConfig } from "./src/config/config.ts";
import { NobodyError } from "./src/domain/errors.ts";
import type { DomainEvent } from "./src/domain/events.ts";
import { type IdKind, makeId } from "./src/domain/ids.ts";
import type { Hono } from "hono";
import type { Logger } from "./src/ports/logger.ts";
import { openDatabase } from "./src/adapters/sqlite/database.ts";
import { SqliteVoiceRepository } from "./src/adapters/sqlite/sqlite_voice_repository.ts";
import { SqlitePersonaRepository } from "./src/adapters/sqlite/sqlite_persona_repository.ts";
import { DiskFileStore } from "./src/adapters/files/disk_file_store.ts";
import {
  dashboardCookieValue,
  loadOrCreateToken,
  readToken,
} from "./src/adapters/files/token_file.ts";
import { ConsoleLogger } from "./src/adapters/log/console_logger.ts";
import { EventBus } from "./src/app/event_bus.ts";
import { VoiceService } from "./src/app/voice_service.ts";
import { PersonaService } from "./src/app/persona_service.ts";
import { statusReport } from "./src/app/status.ts";
import { createHttpApp } from "./src/http/app.ts";
import { report, runChecks } from "./src/cli/doctor.ts";
import { HELP } from "./src/cli/help.ts";
import { UI_ASSETS } from "./ui/assets.ts";

export const VERSION: string = denoJson.version;

const COMMON = {
  help: { type: "boolean", short: "h" },
  ...Object.fromEntries(CONFIG_FLAGS.map((flag) => [flag, { type: "string" }])),
} as const;

const COMMAND_OPTIONS = {
  serve: {},
  doctor: {},
  token: {},
  ui: { open: { type: "boolean" } },
} as const;

type Command = keyof typeof COMMAND_OPTIONS;

class UsageError extends Error {}

function parse(command: Command, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...COMMON, ...COMMAND_OPTIONS[command] },
      allowPositionals: false,
      strict: true,
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun: nobody help ${command}`);
  }
}

function config(values: Record<string, string | boolean | undefined>): Config {
  const flags: Record<string, string | undefined> = {};
  for (const flag of CONFIG_FLAGS) flags[flag] = values[flag] as string | undefined;
  return loadConfig({
    os: Deno.build.os,
    env: Deno.env.toObject(),
    flags,
    readText: (path) => {
      try {
        return Deno.readTextFileSync(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return null;
        throw error;
      }
    },
  });
}

export function portaudioPath(): string {
  return Deno.env.get("NOBODY_PORTAUDIO_LIB") ??
    (Deno.build.os === "darwin" ? "libportaudio.dylib" : "libportaudio.so.2");
}

const serverFile = (c: Config) => `${c.dataDir}/server.json`;

export interface Core {
  readonly app: Hono;
  readonly token: string;
  readonly voices: VoiceService;
  readonly personas: PersonaService;
  /** Tells the status report where the server listens. */
  setUrl(url: string): void;
  close(): void;
}

/** Builds the whole service on a data dir: the one place that constructs adapters. */
export async function createCore(c: Config, logger: Logger): Promise<Core> {
  await Deno.mkdir(c.dataDir, { recursive: true, mode: 0o700 });
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
    const voices = new VoiceService({ voices: voiceRepo, files, clock, ids, events });
    const personas = new PersonaService({
      personas: personaRepo,
      voices: voiceRepo,
      clock,
      ids,
      events,
    });

    const swept = await voices.sweep();
    if (swept.length > 0) {
      logger.warn("removed files left by an interrupted write", { count: swept.length });
    }

    const { token, created } = await loadOrCreateToken(c.dataDir);
    if (created) logger.info("created API token", { path: `${c.dataDir}/token` });
    const cookieValue = await dashboardCookieValue(token);
    const startedAt = clock.now();
    let url = "";
    const app = createHttpApp({
      voices,
      personas,
      token,
      cookie: { name: `nobody_${cookieValue.slice(0, 8)}`, value: cookieValue },
      maxUploadBytes: c.server.maxUploadBytes,
      uiAssets: UI_ASSETS,
      logger,
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
        }),
    });
    return {
      app,
      token,
      voices,
      personas,
      setUrl: (value) => url = value,
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

async function serve(c: Config, signal: AbortSignal): Promise<number> {
  const logger = new ConsoleLogger({ level: c.log.level });
  const core = await createCore(c, logger);
  try {
    let server: Deno.HttpServer;
    try {
      server = Deno.serve({
        hostname: c.server.host,
        port: c.server.port,
        signal,
        onListen: ({ port }) => {
          const host = c.server.host.includes(":") ? `[${c.server.host}]` : c.server.host;
          const url = `http://${host}:${port}`;
          core.setUrl(url);
          Deno.writeTextFileSync(
            serverFile(c),
            JSON.stringify({ url, pid: Deno.pid, version: VERSION }) + "\n",
            { mode: 0o600 },
          );
          console.log(`nobody ${VERSION} listening on ${url}`);
          console.log(`dashboard: run \`nobody ui --open\` (data in ${c.dataDir})`);
        },
      }, core.app.fetch);
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) {
        throw new NobodyError(
          "conflict",
          `port ${c.server.port} on ${c.server.host} is in use; is nobody already running? ` +
            "(pass --port to use another)",
        );
      }
      throw error;
    }
    await server.finished;
    await Deno.remove(serverFile(c)).catch(() => undefined);
    logger.info("stopped");
    return 0;
  } finally {
    core.close();
  }
}

async function runningUrl(c: Config): Promise<string> {
  try {
    const info = JSON.parse(await Deno.readTextFile(serverFile(c))) as { url?: unknown };
    if (typeof info.url === "string") return info.url;
  } catch {
    // Not running, or started by an older build: fall back to the configured address.
  }
  const host = c.server.host.includes(":") ? `[${c.server.host}]` : c.server.host;
  return `http://${host}:${c.server.port}`;
}

async function ui(c: Config, open: boolean): Promise<number> {
  const link = `${await runningUrl(c)}/ui/login?token=${
    encodeURIComponent(await readToken(c.dataDir))
  }`;
  console.log(link);
  if (open) {
    const opener = Deno.build.os === "darwin" ? "open" : "xdg-open";
    const { code } = await new Deno.Command(opener, {
      args: [link],
      stdout: "null",
      stderr: "null",
    }).output();
    if (code !== 0) {
      throw new NobodyError(
        "internal",
        `${opener} could not open the link; paste it into a browser`,
      );
    }
  }
  return 0;
}

export async function main(args: string[]): Promise<number> {
  const [first = "help", ...rest] = args;
  if (first === "help" || first === "-h" || first === "--help") {
    const topic = first === "help" ? rest[0] ?? "main" : "main";
    if (!(topic in HELP)) {
      throw new UsageError(
        `no help for "${topic}"; commands: ${Object.keys(COMMAND_OPTIONS).join(", ")}`,
      );
    }
    console.log(HELP[topic]);
    return 0;
  }
  if (first === "--version" || first === "version") {
    console.log(`nobody ${VERSION}`);
    return 0;
  }
  if (!(first in COMMAND_OPTIONS)) {
    throw new UsageError(
      `unknown command "${first}"; commands: ${Object.keys(COMMAND_OPTIONS).join(", ")}`,
    );
  }
  const command = first as Command;
  const values = parse(command, rest);
  if (values.help) {
    console.log(HELP[command]);
    return 0;
  }
  const c = config(values);
  switch (command) {
    case "serve": {
      const controller = new AbortController();
      const stop = () => controller.abort();
      Deno.addSignalListener("SIGINT", stop);
      Deno.addSignalListener("SIGTERM", stop);
      try {
        return await serve(c, controller.signal);
      } finally {
        Deno.removeSignalListener("SIGINT", stop);
        Deno.removeSignalListener("SIGTERM", stop);
      }
    }
    case "doctor": {
      const result = report(
        await runChecks({ config: c, os: Deno.build.os, portaudioPath: portaudioPath() }),
      );
      console.log(result.text);
      return result.ok ? 0 : 1;
    }
    case "token":
      console.log(await readToken(c.dataDir));
      return 0;
    case "ui":
      return await ui(c, values.open === true);
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof UsageError || error instanceof NobodyError) {
      console.error(`nobody: ${error.message}`);
      Deno.exit(error instanceof UsageError ? 2 : 1);
    }
    throw error;
  }
}
