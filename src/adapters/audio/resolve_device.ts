/**
 * @module
 * Turns a device setting (empty, an index or a name) into a PortAudio device index.
 */
import { NobodyError } from "../../domain/errors.ts";
import type { DeviceInfo } from "../../../ffi/portaudio.ts";

/** Returns undefined for the system default. */
export function resolveDevice(
  devices: readonly DeviceInfo[],
  setting: string,
  direction: "input" | "output",
): number | undefined {
  const spec = setting.trim();
  if (spec === "") return undefined;
  const usable = devices.filter((d) =>
    (direction === "input" ? d.maxInputChannels : d.maxOutputChannels) > 0
  );
  const byIndex = /^\d+$/.test(spec) ? usable.find((d) => d.index === Number(spec)) : undefined;
  const lower = spec.toLowerCase();
  const exact = usable.filter((d) => d.name.toLowerCase() === lower);
  const partial = usable.filter((d) => d.name.toLowerCase().includes(lower));
  const found = byIndex ??
    (exact.length === 1 ? exact[0] : partial.length === 1 ? partial[0] : undefined);
  if (found) return found.index;
  const list = usable.map((d) => `${d.index}: ${d.name}`).join(", ") || "none";
  const why = partial.length > 1 ? "matches several" : "matches no";
  throw new NobodyError(
    "invalid_request",
    `"${spec}" ${why} ${direction} device (${direction} devices: ${list})`,
  );
}
