/**
 * @module
 * The command line: parses the command and its options, loads the config, and dispatches to the
 * handlers the composition root (main.ts) provides, which are the ones that build things.
 */
import type { Config } from "../config/config.ts";
import { cliConfig, type Command, COMMAND_OPTIONS, parse, UsageError } from "./args.ts";
import { HELP } from "./help.ts";
import type { PlayOptions, RecordOptions } from "./audio_commands.ts";

export interface Handlers {
  readonly version: string;
  serve(config: Config, signal: AbortSignal): Promise<number>;
  doctor(config: Config): Promise<number>;
  token(config: Config): Promise<number>;
  ui(config: Config, options: { open: boolean }): Promise<number>;
  devices(config: Config, options: { json: boolean }): Promise<number>;
  play(config: Config, options: PlayOptions): Promise<number>;
  record(config: Config, options: RecordOptions): Promise<number>;
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
  const { values, file } = parse(command, rest);
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
      return await handlers.doctor(c);
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
