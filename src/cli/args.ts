/**
 * @module
 * Command-line parsing: the commands, their options, and the config built from flags and env.
 */
import { parseArgs } from "node:util";
import { type Config, CONFIG_FLAGS, loadConfig } from "../config/config.ts";

export class UsageError extends Error {}

const COMMON = {
  help: { type: "boolean", short: "h" },
  ...Object.fromEntries(CONFIG_FLAGS.map((flag) => [flag, { type: "string" }])),
} as const;

export const COMMAND_OPTIONS = {
  serve: {},
  doctor: {},
  token: {},
  ui: { open: { type: "boolean" } },
  devices: { json: { type: "boolean" } },
  play: { device: { type: "string" } },
  record: { device: { type: "string" }, seconds: { type: "string" }, rate: { type: "string" } },
} as const;

/** Commands that take one file argument. */
const FILE_ARGUMENT: Partial<Record<Command, string>> = {
  play: "a WAV file to play",
  record: "the WAV file to write",
};

export type Command = keyof typeof COMMAND_OPTIONS;

export function parse(command: Command, args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...COMMON, ...COMMAND_OPTIONS[command] },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun: nobody help ${command}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const wanted = FILE_ARGUMENT[command];
  if (!values.help && parsed.positionals.length !== (wanted ? 1 : 0)) {
    throw new UsageError(
      wanted
        ? `${command} takes ${wanted}\nRun: nobody help ${command}`
        : `unexpected argument "${parsed.positionals[0]}"\nRun: nobody help ${command}`,
    );
  }
  return { values, file: parsed.positionals[0] ?? "" };
}

export function cliConfig(values: Record<string, string | boolean | undefined>): Config {
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
