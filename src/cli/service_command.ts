/**
 * @module
 * `nobody service install|uninstall|status|logs`: keeps `nobody serve` running in the background
 * as a launchd LaunchAgent (macOS) or a systemd user unit (Linux).
 */
import { NobodyError } from "../domain/errors.ts";
import {
  type AgentSpec,
  LAUNCHD_LABEL,
  launchdPaths,
  launchdPlist,
} from "../service/launchd_plist.ts";
import { SYSTEMD_UNIT, systemdPaths, systemdUnit } from "../service/systemd_unit.ts";

export const SERVICE_ACTIONS = ["install", "uninstall", "status", "logs"] as const;
export type ServiceAction = typeof SERVICE_ACTIONS[number];

export interface ServiceDeps {
  readonly os: typeof Deno.build.os;
  readonly home: string;
  readonly uid: number;
  /** What the service runs, and with which environment. */
  readonly spec: AgentSpec;
  /** Runs a service manager command; `inherit` streams its output (logs). */
  exec(
    command: string,
    args: string[],
    options?: { inherit?: boolean },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  print(line: string): void;
}

export interface ServiceOptions {
  /** Write or remove the files only, without telling launchd/systemd (tests, packaging). */
  readonly start: boolean;
  readonly follow: boolean;
  readonly lines: number;
}

interface Manager {
  readonly file: string;
  readonly contents: string;
  readonly start: [string, string[]][];
  readonly stop: [string, string[]][];
  readonly running: () => Promise<boolean>;
  readonly logs: (o: ServiceOptions) => [string, string[]];
  readonly prepare: () => Promise<void>;
}

function manager(deps: ServiceDeps): Manager {
  if (deps.os === "darwin") {
    const paths = launchdPaths(deps.home);
    const domain = `gui/${deps.uid}`;
    return {
      file: paths.plist,
      contents: launchdPlist(deps.spec),
      start: [["launchctl", ["bootstrap", domain, paths.plist]]],
      stop: [["launchctl", ["bootout", `${domain}/${LAUNCHD_LABEL}`]]],
      running: async () =>
        (await deps.exec("launchctl", ["print", `${domain}/${LAUNCHD_LABEL}`])).code === 0,
      logs: (
        o,
      ) => ["tail", [
        "-n",
        String(o.lines),
        ...(o.follow ? ["-F"] : []),
        paths.stdout,
        paths.stderr,
      ]],
      prepare: () => Deno.mkdir(paths.logDir, { recursive: true }),
    };
  }
  if (deps.os === "linux") {
    const paths = systemdPaths(deps.home);
    return {
      file: paths.unit,
      contents: systemdUnit(deps.spec),
      start: [
        ["systemctl", ["--user", "daemon-reload"]],
        ["systemctl", ["--user", "enable", "--now", SYSTEMD_UNIT]],
      ],
      stop: [["systemctl", ["--user", "disable", "--now", SYSTEMD_UNIT]]],
      running: async () =>
        (await deps.exec("systemctl", ["--user", "is-active", "--quiet", SYSTEMD_UNIT])).code === 0,
      logs: (o) => [
        "journalctl",
        ["--user", "-u", SYSTEMD_UNIT, "-n", String(o.lines), ...(o.follow ? ["-f"] : [])],
      ],
      prepare: async () => {},
    };
  }
  throw new NobodyError(
    "not_implemented",
    `nobody service supports macOS (launchd) and Linux (systemd), not ${deps.os}`,
  );
}

async function runAll(deps: ServiceDeps, steps: [string, string[]][]): Promise<string | null> {
  for (const [command, args] of steps) {
    let result;
    try {
      result = await deps.exec(command, args);
    } catch (error) {
      return `${command} could not run: ${(error as Error).message}`;
    }
    if (result.code !== 0) {
      return `${command} ${args.join(" ")} failed: ${(result.stderr || result.stdout).trim()}`;
    }
  }
  return null;
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

export async function serviceCommand(
  action: ServiceAction,
  options: ServiceOptions,
  deps: ServiceDeps,
): Promise<number> {
  const m = manager(deps);
  switch (action) {
    case "install": {
      await m.prepare();
      await Deno.mkdir(m.file.slice(0, m.file.lastIndexOf("/")), { recursive: true });
      const temp = `${m.file}.partial`;
      await Deno.writeTextFile(temp, m.contents, { mode: 0o644 });
      await Deno.rename(temp, m.file);
      deps.print(`wrote ${m.file}`);
      if (!options.start) return 0;
      // A previous install may still be loaded: replace it.
      await runAll(deps, m.stop);
      const failed = await runAll(deps, m.start);
      if (failed) {
        deps.print(`the service file is installed, but starting it failed: ${failed}`);
        return 1;
      }
      deps.print(`started: nobody now runs in the background and after every login`);
      return 0;
    }
    case "uninstall": {
      const installed = await exists(m.file);
      if (options.start && installed) {
        const failed = await runAll(deps, m.stop);
        if (failed) deps.print(`stopping reported: ${failed}`);
      }
      await Deno.remove(m.file).catch(() => {});
      deps.print(installed ? `removed ${m.file}` : `nothing to remove: ${m.file} does not exist`);
      if (options.start && deps.os === "linux" && installed) {
        await runAll(deps, [["systemctl", ["--user", "daemon-reload"]]]);
      }
      return 0;
    }
    case "status": {
      const installed = await exists(m.file);
      const running = installed && await m.running().catch(() => false);
      deps.print(`installed: ${installed ? `yes (${m.file})` : "no"}`);
      deps.print(`running:   ${running ? "yes" : "no"}`);
      return installed && running ? 0 : 3; // 3: "not running", as LSB status commands say
    }
    case "logs": {
      if (!(await exists(m.file))) {
        throw new NobodyError(
          "not_found",
          "the service is not installed, so it has no logs: `nobody service install` first",
        );
      }
      const [command, args] = m.logs(options);
      const result = await deps.exec(command, args, { inherit: true });
      return result.code;
    }
  }
}

/** The command line the service runs: this binary, or deno with this source tree. */
export function serviceSpec(
  options: { compiled: boolean; execPath: string; mainPath: string; dataDir: string; home: string },
): AgentSpec {
  const serve = ["serve", "--data-dir", options.dataDir];
  return {
    command: options.compiled
      ? [options.execPath, ...serve]
      : [options.execPath, "run", "--allow-all", options.mainPath, ...serve],
    home: options.home,
    // launchd and systemd start with a bare PATH; the workers need python, uv and ffmpeg.
    env: { PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin" },
  };
}
