import assert from "node:assert/strict";
import { type Config, DEFAULT_PORT, loadConfig, type LoadOptions } from "./config.ts";

function load(overrides: Partial<LoadOptions> & { files?: Record<string, string> } = {}): Config {
  const files = overrides.files ?? {};
  return loadConfig({
    os: overrides.os ?? "linux",
    env: overrides.env ?? { HOME: "/home/ada" },
    flags: overrides.flags ?? {},
    readText: (path) => files[path] ?? null,
  });
}

function rejects(overrides: Parameters<typeof load>[0], pattern: RegExp) {
  assert.throws(() => load(overrides), (error: Error & { code?: string }) => {
    assert.equal(error.code, "invalid_request");
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("loadConfig() uses XDG locations and safe defaults on Linux", () => {
  const config = load();
  assert.equal(config.dataDir, "/home/ada/.local/share/nobody");
  assert.equal(config.configFile, null);
  assert.equal(config.server.host, "127.0.0.1");
  assert.equal(config.server.port, DEFAULT_PORT);
  assert.equal(config.server.maxUploadBytes, 200 * 1024 * 1024);
  assert.equal(config.workers.python, "/usr/bin/python3");
  assert.equal(config.llm.openaiApiKey, null);
  const xdg = load({
    env: { HOME: "/home/ada", XDG_DATA_HOME: "/data", XDG_CONFIG_HOME: "/cfg" },
    files: {
      "/cfg/nobody/config.toml": "[server]\nport = 7000\n",
    },
  });
  assert.equal(xdg.dataDir, "/data/nobody");
  assert.equal(xdg.configFile, "/cfg/nobody/config.toml");
  assert.equal(xdg.server.port, 7000);
});

Deno.test("loadConfig() uses Application Support on macOS", () => {
  const config = load({
    os: "darwin",
    files: { "/home/ada/Library/Application Support/nobody/config.toml": 'log.level = "debug"' },
  });
  assert.equal(config.dataDir, "/home/ada/Library/Application Support/nobody");
  assert.equal(config.log.level, "debug");
  assert.equal(config.workers.python, "python3");
});

Deno.test("loadConfig() layers defaults < file < env < flags", () => {
  const files = {
    "/d/config.toml": '[server]\nport = 7001\nmax_upload_mb = 5\n[log]\nlevel = "warn"\n',
  };
  const fileOnly = load({ env: { HOME: "/h", NOBODY_DATA_DIR: "/d" }, files });
  assert.equal(fileOnly.dataDir, "/d");
  assert.equal(fileOnly.configFile, "/d/config.toml");
  assert.deepEqual([fileOnly.server.port, fileOnly.server.maxUploadBytes, fileOnly.log.level], [
    7001,
    5 << 20,
    "warn",
  ]);

  const env = load({ env: { HOME: "/h", NOBODY_DATA_DIR: "/d", NOBODY_PORT: "7002" }, files });
  assert.equal(env.server.port, 7002);
  assert.equal(env.log.level, "warn");

  const flags = load({
    env: { HOME: "/h", NOBODY_DATA_DIR: "/d", NOBODY_PORT: "7002" },
    flags: { port: "7003", "log-level": "error" },
    files,
  });
  assert.equal(flags.server.port, 7003);
  assert.equal(flags.log.level, "error");

  const dataFlag = load({
    env: { HOME: "/h", NOBODY_DATA_DIR: "/x" },
    flags: { "data-dir": "/d/" },
    files,
  });
  assert.equal(dataFlag.dataDir, "/d");
  assert.equal(dataFlag.server.port, 7001, "the config file follows --data-dir");
});

Deno.test("loadConfig() reads secrets from the environment", () => {
  const config = load({ env: { HOME: "/h", OPENAI_API_KEY: "sk-test", REDPILL_API_KEY: "" } });
  assert.equal(config.llm.openaiApiKey, "sk-test");
  assert.equal(config.llm.redpillApiKey, null);
});

Deno.test("loadConfig() names the key and source of every invalid value", () => {
  rejects(
    { env: { HOME: "/h", NOBODY_PORT: "http" } },
    /server\.port must be an integer from 0 to 65535 .*NOBODY_PORT/,
  );
  rejects({ flags: { port: "70000" } }, /server\.port .* from flag --port/);
  rejects({ flags: { host: "0.0.0.0" } }, /server\.host must be a loopback address/);
  rejects({ flags: { "data-dir": "relative/dir" } }, /data_dir must be an absolute path/);
  rejects({ flags: { "log-level": "loud" } }, /log\.level must be one of debug, info, warn, error/);
  rejects(
    { files: { "/home/ada/.config/nobody/config.toml": "[server]\nprot = 1\n" } },
    /unknown key server\.prot in \/home\/ada\/\.config\/nobody\/config\.toml/,
  );
  rejects(
    { files: { "/home/ada/.config/nobody/config.toml": "[llm]\nollama_url = 'ftp://x'\n" } },
    /llm\.ollama_url must be an http or https URL .* from \/home\/ada/,
  );
  rejects({ files: { "/home/ada/.config/nobody/config.toml": "server = [" } }, /is not valid TOML/);
  rejects({ flags: { config: "/nope.toml" } }, /config file \/nope\.toml does not exist/);
});

Deno.test("loadConfig() takes remote speech engines from the file, with keys from the environment", () => {
  const config = load({
    env: { HOME: "/home/ada", NOBODY_TTS_API_KEY: "sk-tts" },
    files: {
      "/home/ada/.config/nobody/config.toml": [
        "[engines.stt]",
        'provider = "openai"',
        'url = "https://gpu.lan:8000/v1/"',
        'model = "Systran/faster-whisper-small"',
        "[engines.tts]",
        'provider = "openai"',
        'url = "http://127.0.0.1:8880/v1"',
        'voice = "af_bella"',
        "[workers]",
        "stt_processes = 3",
        "keep_alive_ms = 0",
      ].join("\n"),
    },
  });
  assert.deepEqual(config.engines.stt, {
    provider: "openai",
    url: "https://gpu.lan:8000/v1",
    apiKey: null,
    model: "Systran/faster-whisper-small",
    timeoutMs: 30_000,
  });
  assert.equal(config.engines.tts.apiKey, "sk-tts");
  assert.equal(config.engines.tts.voice, "af_bella");
  assert.equal(config.workers.sttProcesses, 3);
  assert.equal(config.workers.ttsProcesses, 0, "0: the service sizes the pool");
  assert.equal(config.workers.keepAliveMs, 0);
  assert.equal(load().engines.stt.provider, "local");
  assert.equal(load().workers.keepAliveMs, 15 * 60_000);
});

Deno.test("loadConfig() refuses a remote engine that would send audio and keys in the clear", () => {
  const env = (extra: Record<string, string>) => ({ env: { HOME: "/home/ada", ...extra } });
  rejects(env({ NOBODY_STT_PROVIDER: "openai" }), /engines\.stt\.url must be set/);
  rejects(
    env({ NOBODY_TTS_PROVIDER: "openai", NOBODY_TTS_URL: "http://gpu.lan:8880/v1" }),
    /engines\.tts\.url must use https:\/\/ for a server on another machine/,
  );
  rejects(
    env({ NOBODY_STT_PROVIDER: "openai", NOBODY_STT_URL: "https://me:pw@gpu.lan/v1" }),
    /must not carry credentials/,
  );
  rejects(env({ NOBODY_STT_PROVIDER: "whisper" }), /engines\.stt\.provider must be one of/);
  for (const url of ["http://127.0.0.1:9000/v1", "http://localhost:9000/v1", "http://[::1]:9/v1"]) {
    assert.equal(
      load(env({ NOBODY_STT_PROVIDER: "openai", NOBODY_STT_URL: url })).engines.stt.provider,
      "openai",
      url,
    );
  }
  // A URL left behind while the local engine is chosen does no harm.
  assert.equal(load(env({ NOBODY_STT_URL: "http://gpu.lan/v1" })).engines.stt.provider, "local");
});
