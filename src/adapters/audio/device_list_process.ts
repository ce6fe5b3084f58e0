/**
 * @module
 * Lists audio devices in a child process (`nobody devices --json`). The status page asks from
 * inside the service, and a sound server or driver that crashes while PortAudio probes it must
 * take down only the child, never the service.
 */
import { NobodyError } from "../../domain/errors.ts";
import type { DeviceInfo } from "../../../ffi/portaudio.ts";

export async function listDevicesInChild(
  options: { command: readonly string[]; env?: Record<string, string>; timeoutMs?: number },
): Promise<DeviceInfo[]> {
  const [program, ...args] = options.command;
  const child = new Deno.Command(program, {
    args,
    env: options.env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  let out: Deno.CommandOutput;
  try {
    out = await child.output();
  } catch (error) {
    throw new NobodyError(
      "unavailable",
      `listing audio devices failed: ${(error as Error).message}`,
    );
  }
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const reason = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ??
      `exit ${out.code}`;
    throw new NobodyError(
      "unavailable",
      `listing audio devices failed (${out.signal ? `killed by ${out.signal}` : reason})`,
    );
  }
  return JSON.parse(text) as DeviceInfo[];
}
