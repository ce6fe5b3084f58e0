/**
 * @module
 * The typed configuration, merged from defaults < config file < environment < command-line flags.
 * Every invalid value is reported with its key and where it came from.
 */
import { parse as parseToml } from "smol-toml";
import { NobodyError } from "../domain/errors.ts";
import { defaultConfigFile, defaultDataDir, type PlatformEnv } from "./paths.ts";
import {
  absolutePath,
  anyText,
  boolean,
  choice,
  httpUrl,
  integer,
  loopbackHost,
  nonEmptyText,
  optionalSecret,
  optionalUrl,
  remoteServiceUrl,
  type ValueParser,
} from "./values.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = typeof LOG_LEVELS[number];

export interface Config {
  readonly dataDir: string;
  /** The config file that was read, or null when none exists. */
  readonly configFile: string | null;
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly maxUploadBytes: number;
  };
  readonly llm: {
    readonly ollamaUrl: string;
    readonly openaiBaseUrl: string;
    readonly openaiApiKey: string | null;
    readonly redpillBaseUrl: string;
    readonly redpillApiKey: string | null;
    /** Until a reply's first data, and between two pieces of it after that. */
    readonly firstTokenTimeoutMs: number;
    readonly idleTimeoutMs: number;
  };
  readonly workers: {
    readonly enabled: boolean;
    readonly python: string;
    readonly runner: "auto" | "uv" | "python";
    readonly unpack: "auto" | "always" | "never";
    readonly sttEngine: string;
    readonly ttsEngine: string;
    /** Processes per engine pool; 0 sizes the pool from the cores and memory. */
    readonly sttProcesses: number;
    readonly ttsProcesses: number;
    /** An engine pool with no call for this long is unloaded; 0 keeps it loaded. */
    readonly keepAliveMs: number;
  };
  /** Where speech is made and heard: the local worker pools, or a remote OpenAI-style server. */
  readonly engines: {
    readonly stt: RemoteEngineConfig;
    readonly tts: RemoteEngineConfig & { readonly voice: string };
  };
  readonly audio: {
    readonly portaudioLibrary: string;
    /** A device index or name; empty for the system default. */
    readonly inputDevice: string;
    readonly outputDevice: string;
  };
  readonly log: { readonly level: LogLevel };
}

export interface RemoteEngineConfig {
  readonly provider: "local" | "openai";
  /** The server's API base, like https://gpu.lan:8000/v1; empty while the provider is local. */
  readonly url: string;
  /** Sent as a bearer token to `url` only. */
  readonly apiKey: string | null;
  readonly model: string;
  /** Until the server starts answering, and between two pieces of its answer. */
  readonly timeoutMs: number;
}

export const DEFAULT_PORT = 6629; // N-O-B-Y on a phone keypad

interface KeySpec {
  readonly key: string;
  readonly env?: string;
  readonly flag?: string;
  readonly parse: ValueParser<unknown>;
  readonly fallback: (platform: PlatformEnv) => unknown;
}

const KEYS: readonly KeySpec[] = [
  {
    key: "data_dir",
    env: "NOBODY_DATA_DIR",
    flag: "data-dir",
    parse: absolutePath,
    fallback: defaultDataDir,
  },
  {
    key: "server.host",
    env: "NOBODY_HOST",
    flag: "host",
    parse: loopbackHost,
    fallback: () => "127.0.0.1",
  },
  {
    key: "server.port",
    env: "NOBODY_PORT",
    flag: "port",
    parse: integer(0, 65_535),
    fallback: () => DEFAULT_PORT,
  },
  // 200 MiB holds over 30 minutes of 48 kHz 16-bit stereo WAV, more than one sample needs.
  {
    key: "server.max_upload_mb",
    env: "NOBODY_MAX_UPLOAD_MB",
    parse: integer(1, 2_048),
    fallback: () => 200,
  },
  {
    key: "llm.ollama_url",
    env: "NOBODY_OLLAMA_URL",
    parse: httpUrl,
    fallback: () => "http://127.0.0.1:11434",
  },
  {
    key: "llm.openai_base_url",
    env: "OPENAI_BASE_URL",
    parse: httpUrl,
    fallback: () => "https://api.openai.com/v1",
  },
  { key: "llm.openai_api_key", env: "OPENAI_API_KEY", parse: optionalSecret, fallback: () => "" },
  {
    key: "llm.redpill_base_url",
    env: "REDPILL_BASE_URL",
    parse: httpUrl,
    fallback: () => "https://api.redpill.ai/v1",
  },
  {
    key: "llm.redpill_api_key",
    env: "REDPILL_API_KEY",
    parse: optionalSecret,
    fallback: () => "",
  },
  // A local model may load for a minute before it answers; a stalled stream is noticed in 30 s.
  {
    key: "llm.first_token_timeout_ms",
    env: "NOBODY_LLM_FIRST_TOKEN_TIMEOUT_MS",
    parse: integer(100, 600_000),
    fallback: () => 60_000,
  },
  {
    key: "llm.idle_timeout_ms",
    env: "NOBODY_LLM_IDLE_TIMEOUT_MS",
    parse: integer(100, 600_000),
    fallback: () => 30_000,
  },
  {
    key: "workers.python",
    env: "NOBODY_PYTHON",
    parse: nonEmptyText,
    // Debian's ML packages live under the system interpreter, not whatever python3 is first on PATH.
    fallback: (p) => p.os === "linux" ? "/usr/bin/python3" : "python3",
  },
  { key: "workers.enabled", env: "NOBODY_WORKERS", parse: boolean, fallback: () => true },
  {
    key: "workers.runner",
    env: "NOBODY_WORKER_RUNNER",
    parse: choice(["auto", "uv", "python"]),
    fallback: () => "auto",
  },
  {
    key: "workers.unpack",
    env: "NOBODY_WORKERS_UNPACK",
    // "auto": a compiled binary unpacks the worker sources it carries into the data dir.
    parse: choice(["auto", "always", "never"]),
    fallback: () => "auto",
  },
  {
    key: "workers.stt_engine",
    env: "NOBODY_STT_ENGINE",
    parse: choice(["auto", "kyutai", "pocketsphinx"]),
    fallback: () => "auto",
  },
  {
    key: "workers.tts_engine",
    env: "NOBODY_TTS_ENGINE",
    parse: choice(["auto", "pocket", "espeak"]),
    fallback: () => "auto",
  },
  {
    key: "workers.stt_processes",
    env: "NOBODY_STT_PROCESSES",
    parse: integer(0, 64),
    fallback: () => 0,
  },
  {
    key: "workers.tts_processes",
    env: "NOBODY_TTS_PROCESSES",
    parse: integer(0, 64),
    fallback: () => 0,
  },
  // As Ollama's keep_alive: a background agent gives the engines' memory back when unused.
  {
    key: "workers.keep_alive_ms",
    env: "NOBODY_KEEP_ALIVE_MS",
    parse: integer(0, 7 * 24 * 3_600_000),
    fallback: () => 15 * 60_000,
  },
  {
    key: "engines.stt.provider",
    env: "NOBODY_STT_PROVIDER",
    parse: choice(["local", "openai"]),
    fallback: () => "local",
  },
  { key: "engines.stt.url", env: "NOBODY_STT_URL", parse: optionalUrl, fallback: () => "" },
  {
    key: "engines.stt.api_key",
    env: "NOBODY_STT_API_KEY",
    parse: optionalSecret,
    fallback: () => "",
  },
  {
    key: "engines.stt.model",
    env: "NOBODY_STT_MODEL",
    parse: nonEmptyText,
    fallback: () => "whisper-1",
  },
  {
    key: "engines.stt.timeout_ms",
    env: "NOBODY_STT_TIMEOUT_MS",
    parse: integer(100, 600_000),
    fallback: () => 30_000,
  },
  {
    key: "engines.tts.provider",
    env: "NOBODY_TTS_PROVIDER",
    parse: choice(["local", "openai"]),
    fallback: () => "local",
  },
  { key: "engines.tts.url", env: "NOBODY_TTS_URL", parse: optionalUrl, fallback: () => "" },
  {
    key: "engines.tts.api_key",
    env: "NOBODY_TTS_API_KEY",
    parse: optionalSecret,
    fallback: () => "",
  },
  {
    key: "engines.tts.model",
    env: "NOBODY_TTS_MODEL",
    parse: nonEmptyText,
    fallback: () => "tts-1",
  },
  // The voice for personas without one; a persona's voice is asked for by its name.
  {
    key: "engines.tts.voice",
    env: "NOBODY_TTS_VOICE",
    parse: nonEmptyText,
    fallback: () => "alloy",
  },
  {
    key: "engines.tts.timeout_ms",
    env: "NOBODY_TTS_TIMEOUT_MS",
    parse: integer(100, 600_000),
    fallback: () => 15_000,
  },
  {
    key: "audio.portaudio_library",
    env: "NOBODY_PORTAUDIO_LIB",
    parse: nonEmptyText,
    fallback: (p) => p.os === "darwin" ? "libportaudio.dylib" : "libportaudio.so.2",
  },
  { key: "audio.input_device", env: "NOBODY_INPUT_DEVICE", parse: anyText, fallback: () => "" },
  { key: "audio.output_device", env: "NOBODY_OUTPUT_DEVICE", parse: anyText, fallback: () => "" },
  {
    key: "log.level",
    env: "NOBODY_LOG_LEVEL",
    flag: "log-level",
    parse: choice(LOG_LEVELS),
    fallback: () => "info",
  },
];

/** The flags that map onto config keys, for the CLI's parseArgs options. */
export const CONFIG_FLAGS: readonly string[] = [
  "config",
  ...KEYS.flatMap((k) => k.flag ? [k.flag] : []),
];

export interface LoadOptions extends PlatformEnv {
  readonly flags: Readonly<Record<string, string | undefined>>;
  /** Returns the file's text, or null when it does not exist. */
  readonly readText: (path: string) => string | null;
}

/** Throws a {@linkcode NobodyError} naming the key when any layer holds an invalid value. */
export function loadConfig(options: LoadOptions): Config {
  const values = new Map<string, unknown>();
  for (const spec of KEYS) values.set(spec.key, check(spec, spec.fallback(options), "default"));

  const { path, explicit } = configFilePath(options);
  const text = options.readText(path);
  if (text === null && explicit) throw invalid(`config file ${path} does not exist`);
  if (text !== null) {
    for (const [key, raw] of flattenToml(text, path)) {
      const spec = KEYS.find((s) => s.key === key);
      if (!spec) {
        throw invalid(
          `unknown key ${key} in ${path} (known: ${KEYS.map((s) => s.key).join(", ")})`,
        );
      }
      values.set(key, check(spec, raw, path));
    }
  }
  for (const spec of KEYS) {
    const raw = spec.env ? options.env[spec.env] : undefined;
    if (raw !== undefined) {
      values.set(spec.key, check(spec, raw, `environment variable ${spec.env}`));
    }
  }
  for (const spec of KEYS) {
    const raw = spec.flag ? options.flags[spec.flag] : undefined;
    if (raw !== undefined) values.set(spec.key, check(spec, raw, `flag --${spec.flag}`));
  }
  return build(values, text === null ? null : path);
}

function configFilePath(options: LoadOptions): { path: string; explicit: boolean } {
  const explicit = options.flags.config ?? options.env.NOBODY_CONFIG;
  if (explicit !== undefined) return { path: explicit, explicit: true };
  const dataDir = options.flags["data-dir"] ?? options.env.NOBODY_DATA_DIR;
  if (dataDir !== undefined) {
    return { path: `${dataDir.replace(/\/+$/, "")}/config.toml`, explicit: false };
  }
  return { path: defaultConfigFile(options), explicit: false };
}

function check(spec: KeySpec, raw: unknown, source: string): unknown {
  const result = spec.parse(raw);
  if (!result.ok) throw invalid(`${spec.key} ${result.error.message} from ${source}`);
  return result.value;
}

function invalid(message: string): NobodyError {
  return new NobodyError("invalid_request", `config: ${message}`);
}

function flattenToml(text: string, path: string): [string, unknown][] {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw invalid(`${path} is not valid TOML: ${(error as Error).message.split("\n")[0]}`);
  }
  const out: [string, unknown][] = [];
  const walk = (object: Record<string, unknown>, prefix: string) => {
    for (const [name, value] of Object.entries(object)) {
      const key = prefix + name;
      const isTable = typeof value === "object" && value !== null && !Array.isArray(value) &&
        !(value instanceof Date);
      if (isTable) walk(value as Record<string, unknown>, `${key}.`);
      else out.push([key, value]);
    }
  };
  walk(document, "");
  return out;
}

function build(values: Map<string, unknown>, configFile: string | null): Config {
  // deno-lint-ignore no-explicit-any
  const v = (key: string): any => values.get(key);
  return {
    dataDir: v("data_dir"),
    configFile,
    server: {
      host: v("server.host"),
      port: v("server.port"),
      maxUploadBytes: v("server.max_upload_mb") * 1024 * 1024,
    },
    llm: {
      ollamaUrl: v("llm.ollama_url"),
      openaiBaseUrl: v("llm.openai_base_url"),
      openaiApiKey: v("llm.openai_api_key"),
      redpillBaseUrl: v("llm.redpill_base_url"),
      redpillApiKey: v("llm.redpill_api_key"),
      firstTokenTimeoutMs: v("llm.first_token_timeout_ms"),
      idleTimeoutMs: v("llm.idle_timeout_ms"),
    },
    workers: {
      enabled: v("workers.enabled"),
      python: v("workers.python"),
      runner: v("workers.runner"),
      unpack: v("workers.unpack"),
      sttEngine: v("workers.stt_engine"),
      ttsEngine: v("workers.tts_engine"),
      sttProcesses: v("workers.stt_processes"),
      ttsProcesses: v("workers.tts_processes"),
      keepAliveMs: v("workers.keep_alive_ms"),
    },
    engines: {
      stt: remoteEngine(v, "stt", {}),
      tts: remoteEngine(v, "tts", { voice: v("engines.tts.voice") }),
    },
    audio: {
      portaudioLibrary: v("audio.portaudio_library"),
      inputDevice: v("audio.input_device"),
      outputDevice: v("audio.output_device"),
    },
    log: { level: v("log.level") },
  };
}

// deno-lint-ignore no-explicit-any
function remoteEngine<X>(v: (key: string) => any, kind: "stt" | "tts", extra: X) {
  const provider = v(`engines.${kind}.provider`);
  const url: string = v(`engines.${kind}.url`);
  if (provider === "openai") {
    const checked = remoteServiceUrl(url);
    if (!checked.ok) throw invalid(`engines.${kind}.url ${checked.error.message}`);
  }
  return {
    provider,
    url,
    apiKey: v(`engines.${kind}.api_key`),
    model: v(`engines.${kind}.model`),
    timeoutMs: v(`engines.${kind}.timeout_ms`),
    ...extra,
  };
}
