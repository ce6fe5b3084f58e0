/**
 * @module
 * Bounded waiting for tests: every wait has a deadline, so a regression fails the test with what
 * it was waiting for instead of hanging CI.
 */

/** Polls `check` every `everyMs` until it returns a value other than undefined, null or false. */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { ms?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.ms ?? 30_000);
  while (true) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value as T;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${options.ms ?? 30_000} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 20));
  }
}

/** A promise with a deadline: rejects naming `what` when it takes longer than `ms`. */
export async function within<T>(what: string, promise: Promise<T>, ms = 30_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
