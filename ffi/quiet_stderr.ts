/**
 * @module
 * Runs a call with the process's stderr pointed at /dev/null. PortAudio's host APIs probe every
 * sound server when they start: libjack prints "Cannot connect to server socket" and ALSA prints
 * its own complaints straight to file descriptor 2, where no JavaScript can catch them, on every
 * audio command. `NOBODY_AUDIO_VERBOSE=1` leaves them on, for a user debugging a device.
 */

const LIBC = Deno.build.os === "darwin" ? "libSystem.B.dylib" : "libc.so.6";
const O_WRONLY = 1;
const STDERR = 2;

const SYMBOLS = {
  dup: { parameters: ["i32"], result: "i32" },
  dup2: { parameters: ["i32", "i32"], result: "i32" },
  open: { parameters: ["buffer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
} as const;

let libc: Deno.DynamicLibrary<typeof SYMBOLS> | null | undefined;

function load(): Deno.DynamicLibrary<typeof SYMBOLS> | null {
  if (libc === undefined) {
    try {
      libc = Deno.dlopen(LIBC, SYMBOLS);
    } catch {
      libc = null; // an unknown libc: the noise stays, the audio still works
    }
  }
  return libc;
}

function verbose(): boolean {
  try {
    return Deno.env.get("NOBODY_AUDIO_VERBOSE") === "1";
  } catch {
    return false; // no env permission: quiet
  }
}

export function withQuietStderr<T>(fn: () => T): T {
  const c = verbose() ? null : load();
  if (!c) return fn();
  const saved = c.symbols.dup(STDERR);
  const devNull = c.symbols.open(new TextEncoder().encode("/dev/null\0"), O_WRONLY);
  if (saved < 0 || devNull < 0) {
    if (saved >= 0) c.symbols.close(saved);
    if (devNull >= 0) c.symbols.close(devNull);
    return fn();
  }
  c.symbols.dup2(devNull, STDERR);
  c.symbols.close(devNull);
  try {
    return fn();
  } finally {
    c.symbols.dup2(saved, STDERR);
    c.symbols.close(saved);
  }
}
