/**
 * @module
 * The macOS LaunchAgent that keeps `nobody serve` running for the logged-in user: started at
 * login, restarted when it exits, logging to ~/Library/Logs/nobody.
 */

export const LAUNCHD_LABEL = "dev.nobody.agent";

export interface AgentSpec {
  /** The program and its arguments, e.g. [binary, "serve"]. */
  readonly command: readonly string[];
  readonly home: string;
  /** Extra environment, e.g. PATH so the workers find python and uv. */
  readonly env: Readonly<Record<string, string>>;
}

export const launchdPaths = (home: string) => ({
  plist: `${home}/Library/LaunchAgents/${LAUNCHD_LABEL}.plist`,
  logDir: `${home}/Library/Logs/nobody`,
  stdout: `${home}/Library/Logs/nobody/nobody.log`,
  stderr: `${home}/Library/Logs/nobody/nobody.err.log`,
});

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const string = (text: string) => `<string>${escape(text)}</string>`;

export function launchdPlist(spec: AgentSpec): string {
  const paths = launchdPaths(spec.home);
  const env = Object.entries(spec.env).map(([k, v]) =>
    `      <key>${escape(k)}</key>\n      ${string(v)}`
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
  <dict>
    <key>Label</key>
    ${string(LAUNCHD_LABEL)}
    <key>ProgramArguments</key>
    <array>
${spec.command.map((arg) => `      ${string(arg)}`).join("\n")}
    </array>
    <key>RunAtLoad</key>
    <true/>
    <key>KeepAlive</key>
    <true/>
    <key>ThrottleInterval</key>
    <integer>5</integer>
    <key>ProcessType</key>
    <string>Interactive</string>
    <!-- launchd starts agents at 256 open files; every connection costs descriptors. -->
    <key>SoftResourceLimits</key>
    <dict>
      <key>NumberOfFiles</key>
      <integer>${OPEN_FILES}</integer>
    </dict>
    <key>HardResourceLimits</key>
    <dict>
      <key>NumberOfFiles</key>
      <integer>${OPEN_FILES}</integer>
    </dict>
    <key>WorkingDirectory</key>
    ${string(spec.home)}
    <key>EnvironmentVariables</key>
    <dict>
${env.join("\n")}
    </dict>
    <key>StandardOutPath</key>
    ${string(paths.stdout)}
    <key>StandardErrorPath</key>
    ${string(paths.stderr)}
  </dict>
</plist>
`;
}

/** Open files for the service: thousands of connections' worth, within macOS's OPEN_MAX. */
export const OPEN_FILES = 10_240;
