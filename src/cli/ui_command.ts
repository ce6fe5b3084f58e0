/**
 * @module
 * `nobody ui`: the dashboard login link of the running service.
 */
import type { Config } from "../config/config.ts";
import { NobodyError } from "../domain/errors.ts";
import { apiClient } from "./api_client.ts";

export function serverFile(config: Config): string {
  return `${config.dataDir}/server.json`;
}

/** The running service's address from server.json, or the configured one. */
export async function runningUrl(config: Config): Promise<string> {
  try {
    const info = JSON.parse(await Deno.readTextFile(serverFile(config))) as { url?: unknown };
    if (typeof info.url === "string") return info.url;
  } catch {
    // Not running: fall back to the configured address.
  }
  const host = config.server.host.includes(":") ? `[${config.server.host}]` : config.server.host;
  return `http://${host}:${config.server.port}`;
}

/**
 * Prints (and opens) a sign-in link with a one-time code that the running service issues; the
 * API token never goes into a URL, a browser history or another process's command line.
 */
export async function uiCommand(
  config: Config,
  options: { open: boolean },
): Promise<number> {
  const api = await apiClient(config);
  const { path } = await api.json<{ path: string }>("/ui/login-codes", "POST");
  const link = `${api.url}${path}`;
  console.log(link);
  if (options.open) {
    const opener = Deno.build.os === "darwin" ? "open" : "xdg-open";
    try {
      const { code } = await new Deno.Command(opener, {
        args: [link],
        stdout: "null",
        stderr: "null",
      }).output();
      if (code === 0) return 0;
    } catch {
      // no opener installed: say so below
    }
    throw new NobodyError("internal", `${opener} could not open the link; paste it into a browser`);
  }
  return 0;
}
