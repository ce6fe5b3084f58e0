/**
 * @module
 * Raises this process's open-file limit (RLIMIT_NOFILE) from its soft value to its hard one, as
 * servers do at start: every connection, worker socket and file costs a descriptor, and macOS
 * starts processes at 256. Deno has no setrlimit, so libc is called through FFI.
 */

export interface FdLimit {
  readonly before: number;
  readonly after: number;
}

const RLIMIT_NOFILE: Partial<Record<typeof Deno.build.os, number>> = { linux: 7, darwin: 8 };
const LIBC: Partial<Record<typeof Deno.build.os, string>> = {
  linux: "libc.so.6",
  darwin: "/usr/lib/libSystem.B.dylib",
};
/** macOS refuses a soft limit above OPEN_MAX even when the hard limit is unlimited. */
const DARWIN_OPEN_MAX = 10_240;
/** Enough for thousands of connections; more only costs kernel memory if used. */
const WANTED = 65_536;

/** Returns the limit before and after; null where it cannot be read (other systems, no FFI). */
export function raiseFdLimit(): FdLimit | null {
  const resource = RLIMIT_NOFILE[Deno.build.os];
  const path = LIBC[Deno.build.os];
  if (resource === undefined || path === undefined) return null;
  let lib;
  try {
    lib = Deno.dlopen(
      path,
      {
        getrlimit: { parameters: ["i32", "buffer"], result: "i32" },
        setrlimit: { parameters: ["i32", "buffer"], result: "i32" },
      } as const,
    );
  } catch {
    return null;
  }
  try {
    const limits = new BigUint64Array(2); // struct rlimit { rlim_t cur, max }
    const bytes = new Uint8Array(limits.buffer);
    if (lib.symbols.getrlimit(resource, bytes) !== 0) return null;
    const before = limits[0];
    let target = limits[1] < BigInt(WANTED) ? limits[1] : BigInt(WANTED);
    if (Deno.build.os === "darwin" && target > BigInt(DARWIN_OPEN_MAX)) {
      target = BigInt(DARWIN_OPEN_MAX);
    }
    if (target > before) {
      limits[0] = target;
      if (lib.symbols.setrlimit(resource, bytes) !== 0) limits[0] = before;
    }
    return { before: Number(before), after: Number(limits[0]) };
  } finally {
    lib.close();
  }
}
