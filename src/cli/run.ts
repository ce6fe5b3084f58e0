/**
 * @module
 * The command line: parses the command and its options, loads the config, and dispatches to the
 * handlers the composition root (main.ts) provides, which are the ones that build things.
 */
import type { Config } from "../config/config.ts";
import { cliConfig, type Command, COMMAND_OPTIONS, parse, UsageError } from "./args.ts";
import { HELP } from "./help.ts";
import type { PlayOptions, RecordOptions } from "./audio_commands.ts";
import { SERVICE_ACTIONS, type ServiceAction } from "./service_command.ts";
import { COMPLETION_WORDS, completionScript, type CompletionWords, SHELLS } from "./completions.ts";

export interface Handlers {
  readonly version: string;
  /** How a shell runs this program again (the binary, or deno with this source tree). */
  readonly selfCommand: string;
  serve(config: Config, signal: AbortSignal): Promise<number>;
  doctor(config: Config, options: { engines: boolean }): Promise<number>;
  token(config: Config): Promise<number>;
  ui(config: Config, options: { open: boolean }): Promise<number>;
  devices(config: Config, options: { json: boolean }): Promise<number>;
  play(config: Config, options: PlayOptions): Promise<number>;
  record(config: Config, options: RecordOptions): Promise<number>;
  service(
    config: Config,
    action: ServiceAction,
    options: { start: boolean; follow: boolean; lines: number },
  ): Promise<number>;
  /** The commands that drive the running service. */
  client(config: Config, command: ClientCommand, signal: AbortSignal): Promise<number>;
}

export type ClientCommand =
  | { type: "say"; text: string; voice?: string; out?: string; speed?: number }
  | { type: "transcribe"; file: string; format: string }
  | { type: "voices"; args: string[]; consent: boolean; description?: string; json: boolean }
  | { type: "personas"; args: string[]; json: boolean }
  | { type: "complete"; what: CompletionWords }
  | { type: "import"; path: string; dryRun: boolean }
  | { type: "dictate"; silenceMs: number; cleanup: boolean };

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${what} must be one of ${allowed.join(", ")}, not "${value}"`);
  }
  return value as T;
}

function number(raw: string | boolean | undefined, what: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(n)) {
    throw new UsageError(`${what} must be a number, not "${raw}"`);
  }
  return n;
}

export async function run(args: string[], handlers: Handlers): Promise<number> {
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
    console.log(`nobody ${handlers.version}`);
    return 0;
  }
  if (!(first in COMMAND_OPTIONS)) {
    throw new UsageError(
      `unknown command "${first}"; commands: ${Object.keys(COMMAND_OPTIONS).join(", ")}`,
    );
  }
  const command = first as Command;
  const { values, file, positionals } = parse(command, rest);
  if (values.help) {
    console.log(HELP[command]);
    return 0;
  }
  const c = cliConfig(values);
  const device = values.device as string | undefined;
  switch (command) {
    case "serve":
      return await untilInterrupted((signal) => handlers.serve(c, signal));
    case "doctor":
      return await handlers.doctor(c, { engines: values.engines === true });
    case "token":
      return await handlers.token(c);
    case "ui":
      return await handlers.ui(c, { open: values.open === true });
    case "devices":
      return await handlers.devices(c, { json: values.json === true });
    case "play":
      return await untilInterrupted((signal) => handlers.play(c, { file, device, signal }));
    case "record":
      return await untilInterrupted((signal) =>
        handlers.record(c, {
          file,
          device,
          seconds: Number(values.seconds ?? 5),
          sampleRate: Number(values.rate ?? 48_000),
          signal,
        })
      );
    case "service":
      return await handlers.service(c, oneOf(file, SERVICE_ACTIONS, "the service action"), {
        start: values["no-start"] !== true,
        follow: values.follow === true,
        lines: number(values.lines, "--lines", 200),
      });
    case "completions":
      console.log(completionScript(oneOf(file, SHELLS, "the shell"), handlers.selfCommand));
      return 0;
    case "import":
      return await untilInterrupted((signal) =>
        handlers.client(
          c,
          { type: "import", path: file, dryRun: values["dry-run"] === true },
          signal,
        )
      );
    case "dictate":
      return await untilInterrupted((signal) =>
        handlers.client(c, {
          type: "dictate",
          silenceMs: number(values.silence, "--silence", 2_000),
          cleanup: values.cleanup === true,
        }, signal)
      );
    case "complete":
      return await untilInterrupted((signal) =>
        handlers.client(
          c,
          { type: "complete", what: oneOf(file, COMPLETION_WORDS, "the words") },
          signal,
        )
      );
    case "say":
      return await untilInterrupted((signal) =>
        handlers.client(c, {
          type: "say",
          text: positionals.join(" "),
          voice: values.voice as string | undefined,
          out: values.out as string | undefined,
          speed: values.speed === undefined ? undefined : number(values.speed, "--speed", 1),
        }, signal)
      );
    case "transcribe":
      return await untilInterrupted((signal) =>
        handlers.client(c, {
          type: "transcribe",
          file,
          format: oneOf(
            String(values.format ?? "text"),
            ["text", "json", "verbose_json"],
            "--format",
          ),
        }, signal)
      );
    case "voices":
      return await untilInterrupted((signal) =>
        handlers.client(c, {
          type: "voices",
          args: positionals,
          consent: values.consent === true,
          description: values.description as string | undefined,
          json: values.json === true,
        }, signal)
      );
    case "personas":
      return await untilInterrupted((signal) =>
        handlers.client(c, {
          type: "personas",
          args: positionals,
          json: values.json === true,
        }, signal)
      );
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

/** Runs `fn` with a signal that Ctrl-C or SIGTERM aborts. */
async function untilInterrupted(fn: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    return await fn(controller.signal);
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
  }
}
