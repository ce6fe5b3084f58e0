/**
 * @module
 * `nobody doctor`: checks this machine for everything nobody needs and says how to install what
 * is missing (Homebrew on macOS, apt on Debian and Ubuntu).
 */
import type { Config } from "../config/config.ts";
import { QUARANTINE_DIR } from "../domain/voice_files.ts";

export interface Check {
  readonly name: string;
  /** A missing required part makes doctor fail; a missing optional one is a warning. */
  readonly required: boolean;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix?: string;
}

export interface DoctorOptions {
  readonly config: Config;
  readonly os: typeof Deno.build.os;
  readonly portaudioPath: string;
  readonly signal?: AbortSignal;
}

const PYTHON_MODULES = ["grpc", "google.protobuf", "numpy", "pocketsphinx", "soundfile"] as const;

function install(os: typeof Deno.build.os, brew: string, apt: string): string {
  return os === "darwin" ? `brew install ${brew}` : `sudo apt-get install ${apt}`;
}

async function run(cmd: string, args: string[], signal?: AbortSignal) {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", signal })
      .output();
    const text = new TextDecoder().decode(out.stdout).trim() ||
      new TextDecoder().decode(out.stderr).trim();
    return { ok: out.code === 0, text };
  } catch (error) {
    return { ok: false, text: error instanceof Deno.errors.NotFound ? "not found" : String(error) };
  }
}

export async function runChecks(options: DoctorOptions): Promise<Check[]> {
  const { config, os, signal } = options;
  const checks: Check[] = [];
  const [major] = Deno.version.deno.split(".").map(Number);
  checks.push({
    name: "deno",
    required: true,
    ok: major >= 2,
    detail: `deno ${Deno.version.deno}`,
    fix: "npm install -g deno@2.9.6",
  });
  checks.push(portaudio(options));

  const python = config.workers.python;
  const version = await run(python, ["--version"], signal);
  checks.push({
    name: "python",
    required: true,
    ok: version.ok,
    detail: version.ok ? `${version.text} (${python})` : `${python}: ${version.text}`,
    fix: install(os, "python@3.12", "python3"),
  });
  for (const module of PYTHON_MODULES) {
    const found = version.ok && (await run(python, ["-c", `import ${module}`], signal)).ok;
    checks.push({
      name: `python module ${module}`,
      required: true,
      ok: found,
      detail: found ? `importable by ${python}` : `${python} cannot import ${module}`,
      fix: os === "darwin"
        ? "uv sync (in the nobody source folder)"
        : `sudo apt-get install ${aptPython(module)}`,
    });
  }

  const espeak = await run("espeak-ng", ["--version"], signal);
  checks.push({
    name: "espeak-ng",
    required: true,
    ok: espeak.ok,
    detail: espeak.ok ? espeak.text.split(" Data at")[0] : espeak.text,
    fix: install(os, "espeak-ng", "espeak-ng"),
  });
  const model = version.ok
    ? await run(python, [
      "-c",
      "import pocketsphinx, os; p = os.path.join(pocketsphinx.get_model_path(), 'en-us'); print(p); assert os.path.isdir(p)",
    ], signal)
    : { ok: false, text: "needs python" };
  checks.push({
    name: "pocketsphinx en-us model",
    required: true,
    ok: model.ok,
    detail: model.ok ? model.text : "no en-us acoustic model found",
    fix: os === "darwin"
      ? "uv sync (pocketsphinx ships its model)"
      : "sudo apt-get install pocketsphinx-en-us",
  });

  const uv = await run("uv", ["--version"], signal);
  checks.push({
    name: "uv",
    required: false,
    ok: uv.ok,
    detail: uv.ok ? uv.text : "not found; workers run with the system python",
    fix: install(os, "uv", "pipx && pipx install uv"),
  });
  const ffmpeg = await run("ffmpeg", ["-version"], signal);
  checks.push({
    name: "ffmpeg",
    required: false,
    ok: ffmpeg.ok,
    detail: ffmpeg.ok ? ffmpeg.text.split("\n")[0] : "not found; needed only for m4a samples",
    fix: install(os, "ffmpeg", "ffmpeg"),
  });
  checks.push(await ollama(config.llm.ollamaUrl, signal));
  checks.push(await quarantine(config.dataDir));
  return checks;
}

/** Audio the start-up sweep found without database rows and set aside instead of deleting. */
export async function quarantine(dataDir: string): Promise<Check> {
  const dir = `${dataDir}/${QUARANTINE_DIR}`;
  let files = 0;
  let bytes = 0;
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      if (entry.isDirectory) await walk(`${path}/${entry.name}`);
      else if (entry.isFile) {
        files++;
        bytes += (await Deno.lstat(`${path}/${entry.name}`)).size;
      }
    }
  };
  try {
    await walk(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return {
    name: "quarantine",
    required: false,
    ok: files === 0,
    detail: files === 0
      ? "no audio set aside"
      : `${files} file${files === 1 ? "" : "s"} (${
        (bytes / 1024 / 1024).toFixed(1)
      } MiB) in ${dir}: audio the database did not know at start (a lost or replaced nobody.db)`,
    fix:
      `listen to them and upload what you want to keep (nobody voices add ID FILE...), then delete ${dir}`,
  };
}

function aptPython(module: string): string {
  return {
    "grpc": "python3-grpcio",
    "google.protobuf": "python3-protobuf",
    "numpy": "python3-numpy",
    "pocketsphinx": "python3-pocketsphinx",
    "soundfile": "python3-soundfile",
  }[module] ?? module;
}

function portaudio(options: DoctorOptions): Check {
  const fix = install(options.os, "portaudio", "libportaudio2");
  try {
    const lib = Deno.dlopen(
      options.portaudioPath,
      {
        Pa_GetVersion: { parameters: [], result: "i32" },
      } as const,
    );
    const version = lib.symbols.Pa_GetVersion();
    lib.close();
    const text = `${version >> 16}.${(version >> 8) & 0xff}.${version & 0xff}`;
    return {
      name: "libportaudio",
      required: true,
      ok: true,
      detail: `PortAudio ${text} (${options.portaudioPath})`,
    };
  } catch (error) {
    return {
      name: "libportaudio",
      required: true,
      ok: false,
      detail: `cannot load ${options.portaudioPath}: ${(error as Error).message.split("\n")[0]}`,
      fix,
    };
  }
}

async function ollama(url: string, signal?: AbortSignal): Promise<Check> {
  // A local Ollama answers in milliseconds; 1.5 s keeps doctor quick when nothing listens.
  const timeout = AbortSignal.timeout(1_500);
  try {
    const response = await fetch(`${url}/api/version`, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const body = await response.json() as { version?: string };
    return {
      name: "ollama",
      required: false,
      ok: response.ok,
      detail: `Ollama ${body.version ?? "?"} at ${url}`,
    };
  } catch {
    return {
      name: "ollama",
      required: false,
      ok: false,
      detail: `nothing answers at ${url}; personas that use Ollama will fail`,
      fix: "install from https://ollama.com, then: ollama serve",
    };
  }
}

/** Formats the checks as a table; returns the text and whether every required check passed. */
export function report(checks: readonly Check[]): { text: string; ok: boolean } {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => {
    const mark = c.ok ? "ok  " : c.required ? "FAIL" : "warn";
    const fix = !c.ok && c.fix ? `\n       ${"".padEnd(width)}  fix: ${c.fix}` : "";
    return `  ${mark} ${c.name.padEnd(width)}  ${c.detail}${fix}`;
  });
  const failed = checks.filter((c) => c.required && !c.ok).length;
  const warned = checks.filter((c) => !c.required && !c.ok).length;
  lines.push(
    "",
    failed === 0
      ? `nobody is ready${
        warned ? ` (${warned} optional part${warned > 1 ? "s" : ""} missing)` : ""
      }.`
      : `${failed} required part${failed > 1 ? "s are" : " is"} missing; run the fix lines above.`,
  );
  return { text: lines.join("\n"), ok: failed === 0 };
}
