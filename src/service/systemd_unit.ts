/**
 * @module
 * The systemd user unit that keeps `nobody serve` running on Linux: enabled for the user's
 * session, restarted when it exits, logging to the journal.
 */
import type { AgentSpec } from "./launchd_plist.ts";

export const SYSTEMD_UNIT = "nobody.service";

export const systemdPaths = (home: string) => ({
  unit: `${home}/.config/systemd/user/${SYSTEMD_UNIT}`,
});

/** systemd splits ExecStart on spaces and reads quotes, backslashes, % and $ specially. */
function quote(arg: string): string {
  const escaped = arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(
    /\$/g,
    "$$$$",
  );
  return /[\s"'\\;]/.test(arg) || escaped !== arg ? `"${escaped}"` : arg;
}

export function systemdUnit(spec: AgentSpec): string {
  const env = Object.entries(spec.env).map(([k, v]) => `Environment=${quote(`${k}=${v}`)}`);
  return `[Unit]
Description=nobody: local voice conversations with AI personas
After=network.target sound.target

[Service]
Type=simple
ExecStart=${spec.command.map(quote).join(" ")}
# Path settings take no quotes; %h is the user's home whatever characters it has.
WorkingDirectory=%h
${env.join("\n")}
Restart=always
RestartSec=5
# Every connection costs descriptors; the default soft limit of 1024 is a few hundred clients.
LimitNOFILE=65536
# SIGTERM lets the service stop its workers and finish writes.
KillSignal=SIGTERM
TimeoutStopSec=20

[Install]
WantedBy=default.target
`;
}
