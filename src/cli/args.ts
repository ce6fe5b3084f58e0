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
  doctor: { engines: { type: "boolean" } },
  token: {},
  ui: { open: { type: "boolean" } },
  devices: { json: { type: "boolean" } },
  play: { device: { type: "string" } },
  record: { device: { type: "string" }, seconds: { type: "string" }, rate: { type: "string" } },
  service: {
    "no-start": { type: "boolean" },
    follow: { type: "boolean", short: "f" },
    lines: { type: "string" },
  },
  say: {
    voice: { type: "string" },
    out: { type: "string", short: "o" },
    speed: { type: "string" },
  },
  transcribe: { format: { type: "string" } },
  voices: {
    consent: { type: "boolean" },
    description: { type: "string" },
    json: { type: "boolean" },
  },
  personas: { json: { type: "boolean" } },
  import: { "dry-run": { type: "boolean" } },
  dictate: { silence: { type: "string" }, cleanup: { type: "boolean" } },
  completions: {},
  /** Hidden: the words a completion script asks for (voice ids and names, persona ids). */
  complete: {},
} as const;

/** What each command takes besides options: how many arguments and what they are. */
const ARGUMENTS: Partial<Record<Command, { min: number; max: number; what: string }>> = {
  play: { min: 1, max: 1, what: "a WAV file to play" },
  record: { min: 1, max: 1, what: "the WAV file to write" },
  service: { min: 1, max: 1, what: "install, uninstall, status or logs" },
  say: { min: 1, max: Infinity, what: "the text to speak" },
  transcribe: { min: 1, max: 1, what: "an audio file" },
  voices: { min: 0, max: Infinity, what: "list, create NAME, delete ID, add ID FILE..., train ID" },
  personas: { min: 0, max: 2, what: "list, or delete ID" },
  import: { min: 1, max: 1, what: "the earlier nobody's folder (with personas.yaml and voices/)" },
  completions: { min: 1, max: 1, what: "bash, zsh or fish" },
  complete: { min: 1, max: 1, what: "voices, voice-names or personas" },
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
  const wanted = ARGUMENTS[command] ?? { min: 0, max: 0, what: "" };
  const n = parsed.positionals.length;
  if (!values.help && (n < wanted.min || n > wanted.max)) {
    throw new UsageError(
      wanted.max > 0
        ? `${command} takes ${wanted.what}\nRun: nobody help ${command}`
        : `unexpected argument "${parsed.positionals[0]}"\nRun: nobody help ${command}`,
    );
  }
  return { values, file: parsed.positionals[0] ?? "", positionals: parsed.positionals };
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
