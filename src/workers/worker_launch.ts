/**
 * @module
 * How each Python worker is started: with uv where it is installed (it resolves the workspace's
 * declared dependencies), otherwise with the configured interpreter and the workers' src folders
 * on PYTHONPATH (Debian packages here).
 */
import type { WorkerName } from "../ports/worker_status.ts";

export type Runner = "auto" | "uv" | "python";

export interface WorkerLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

export interface LaunchOptions {
  /** The folder holding pyproject.toml and workers/ (the repository, or the unpacked copy). */
  readonly sourceDir: string;
  readonly runner: Runner;
  /** Whether `uv` was found on PATH (decides "auto"). */
  readonly uvAvailable: boolean;
  readonly python: string;
  readonly socketPath: string;
  readonly engine: string;
  readonly voicesDir: string;
}

const MODULES: Record<WorkerName, { module: string; project: string; srcDirs: readonly string[] }> =
  {
    stt: {
      module: "nobody_stt",
      project: "nobody-stt",
      srcDirs: ["workers/common/src", "workers/stt/src"],
    },
    tts: {
      module: "nobody_tts",
      project: "nobody-tts",
      srcDirs: ["workers/common/src", "workers/tts/src"],
    },
    trainer: {
      module: "nobody_trainer",
      project: "nobody-trainer",
      srcDirs: ["workers/common/src", "workers/trainer/src"],
    },
  };

export function launchFor(name: WorkerName, options: LaunchOptions): WorkerLaunch {
  const spec = MODULES[name];
  const workerArgs = ["--socket", options.socketPath, "--engine", options.engine];
  if (name === "tts") workerArgs.push("--voices-dir", options.voicesDir);
  const useUv = options.runner === "uv" || (options.runner === "auto" && options.uvAvailable);
  const env = { PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" };
  if (useUv) {
    return {
      command: "uv",
      args: [
        "run",
        "--project",
        options.sourceDir,
        "--package",
        spec.project,
        "python",
        "-m",
        spec.module,
        ...workerArgs,
      ],
      env,
      cwd: options.sourceDir,
    };
  }
  return {
    command: options.python,
    args: ["-m", spec.module, ...workerArgs],
    env: { ...env, PYTHONPATH: spec.srcDirs.map((dir) => `${options.sourceDir}/${dir}`).join(":") },
    cwd: options.sourceDir,
  };
}
