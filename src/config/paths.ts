/**
 * @module
 * Where nobody keeps its data and looks for its config file on each platform.
 */

export interface PlatformEnv {
  readonly os: typeof Deno.build.os;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function home(platform: PlatformEnv): string {
  const value = platform.env.HOME;
  if (!value) throw new Error("HOME is not set; set NOBODY_DATA_DIR or pass --data-dir");
  return value;
}

/** macOS: ~/Library/Application Support/nobody; elsewhere $XDG_DATA_HOME/nobody. */
export function defaultDataDir(platform: PlatformEnv): string {
  if (platform.os === "darwin") return `${home(platform)}/Library/Application Support/nobody`;
  const xdg = platform.env.XDG_DATA_HOME;
  return `${xdg && xdg.startsWith("/") ? xdg : `${home(platform)}/.local/share`}/nobody`;
}

/** macOS: beside the data; elsewhere $XDG_CONFIG_HOME/nobody/config.toml. */
export function defaultConfigFile(platform: PlatformEnv): string {
  if (platform.os === "darwin") {
    return `${home(platform)}/Library/Application Support/nobody/config.toml`;
  }
  const xdg = platform.env.XDG_CONFIG_HOME;
  return `${xdg && xdg.startsWith("/") ? xdg : `${home(platform)}/.config`}/nobody/config.toml`;
}
