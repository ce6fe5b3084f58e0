/**
 * `nobody service`: the launchd agent is a valid plist that runs `serve` with RunAtLoad and
 * KeepAlive and logs to ~/Library/Logs/nobody; the systemd user unit passes systemd-analyze; the
 * CLI installs, reports and removes them.
 */
import assert from "node:assert/strict";
import * as plist from "plist";
import { launchdPaths, launchdPlist } from "../src/service/launchd_plist.ts";
import { systemdUnit } from "../src/service/systemd_unit.ts";
import { serviceSpec } from "../src/cli/service_command.ts";
import { runCli } from "./helpers/server_process.ts";

const HOME = "/Users/ada lovelace"; // a space and more: quoting matters
const spec = serviceSpec({
  compiled: false,
  execPath: "/opt/deno/bin/deno",
  mainPath: "/src/nobody & co/main.ts",
  dataDir: `${HOME}/Library/Application Support/nobody`,
  home: HOME,
});

Deno.test("service: the LaunchAgent parses as a plist with the keys launchd needs", () => {
  const parsed = plist.parse(launchdPlist(spec)) as Record<string, unknown>;
  assert.equal(parsed.Label, "dev.nobody.agent");
  assert.deepEqual(parsed.ProgramArguments, [
    "/opt/deno/bin/deno",
    "run",
    "--allow-all",
    "/src/nobody & co/main.ts",
    "serve",
    "--data-dir",
    `${HOME}/Library/Application Support/nobody`,
  ]);
  assert.equal(parsed.RunAtLoad, true);
  assert.equal(parsed.KeepAlive, true);
  // Defect: the service kept launchd's 256 open files; a local flood of connections exhausted them.
  assert.deepEqual(parsed.SoftResourceLimits, { NumberOfFiles: 10_240 });
  assert.deepEqual(parsed.HardResourceLimits, { NumberOfFiles: 10_240 });
  assert.equal(parsed.StandardOutPath, launchdPaths(HOME).stdout);
  assert.equal(parsed.StandardErrorPath, `${HOME}/Library/Logs/nobody/nobody.err.log`);
  assert.equal((parsed.EnvironmentVariables as Record<string, string>).PATH, Deno.env.get("PATH"));
});

Deno.test("service: the systemd unit passes systemd-analyze verify, quoting intact", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // systemd-analyze checks that the program exists, so this unit runs a real one.
    const unit = systemdUnit({
      ...spec,
      command: ["/usr/bin/env", "echo", "a b", "100%", "$HOME"],
    });
    assert.match(unit, /^ExecStart=\/usr\/bin\/env echo "a b" "100%%" "\$\$HOME"$/m);
    assert.match(unit, /^Restart=always$/m);
    assert.match(unit, /^LimitNOFILE=65536$/m, "room for connections");
    await Deno.writeTextFile(`${dir}/nobody.service`, unit);
    const out = await new Deno.Command("systemd-analyze", {
      args: ["verify", `${dir}/nobody.service`],
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("service: the CLI installs, reports and removes the user unit", async () => {
  const home = await Deno.makeTempDir();
  try {
    const env = { HOME: home, NOBODY_DATA_DIR: `${home}/data` };
    const unit = `${home}/.config/systemd/user/nobody.service`;
    const install = await runCli(["service", "install", "--no-start"], env);
    assert.equal(install.code, 0, install.stderr);
    assert.match(install.stdout, new RegExp(`wrote ${unit}`));
    const text = await Deno.readTextFile(unit);
    assert.match(
      text,
      new RegExp(
        `^ExecStart=\\S+ run --allow-all \\S+/main\\.ts serve --data-dir ${home}/data$`,
        "m",
      ),
    );
    assert.equal((await Deno.stat(unit)).mode! & 0o777, 0o644);

    const status = await runCli(["service", "status"], env);
    assert.equal(status.code, 3, "installed but not running");
    assert.match(status.stdout, /installed: yes/);
    assert.match(status.stdout, /running: {3}no/);

    const removed = await runCli(["service", "uninstall", "--no-start"], env);
    assert.equal(removed.code, 0);
    assert.ok(!(await Deno.stat(unit).then(() => true, () => false)));

    const bad = await runCli(["service", "restart"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /the service action must be one of install, uninstall, status, logs/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
