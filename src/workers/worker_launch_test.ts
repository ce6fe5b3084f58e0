import assert from "node:assert/strict";
import { launchFor, type LaunchOptions } from "./worker_launch.ts";

const base: LaunchOptions = {
  sourceDir: "/opt/nobody",
  runner: "auto",
  uvAvailable: false,
  python: "/usr/bin/python3",
  socketPath: "/run/n/stt.sock",
  engine: "auto",
  voicesDir: "/data/voices",
};

Deno.test("launchFor() runs the system python with the workers on PYTHONPATH when uv is absent", () => {
  const launch = launchFor("stt", base);
  assert.equal(launch.command, "/usr/bin/python3");
  assert.deepEqual(launch.args, [
    "-m",
    "nobody_stt",
    "--socket",
    "/run/n/stt.sock",
    "--engine",
    "auto",
  ]);
  assert.equal(launch.env.PYTHONPATH, "/opt/nobody/workers/common/src:/opt/nobody/workers/stt/src");
});

Deno.test("launchFor() uses uv when available or asked for, and passes the voices dir to tts", () => {
  const launch = launchFor("tts", { ...base, uvAvailable: true, engine: "espeak" });
  assert.equal(launch.command, "uv");
  assert.deepEqual(launch.args, [
    "run",
    "--project",
    "/opt/nobody",
    "--package",
    "nobody-tts",
    "python",
    "-m",
    "nobody_tts",
    "--socket",
    "/run/n/stt.sock",
    "--engine",
    "espeak",
    "--voices-dir",
    "/data/voices",
  ]);
  assert.equal(launch.env.PYTHONPATH, undefined);
  assert.equal(
    launchFor("stt", { ...base, runner: "python", uvAvailable: true }).command,
    "/usr/bin/python3",
  );
});
