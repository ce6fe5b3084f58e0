/**
 * @module
 * Runs the Nobody Spoon's own Lua under plain Lua with the `hs` stand-in (a harness beside this
 * file) and returns what the harness printed; a harness that fails or runs past two minutes fails
 * the test.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const SPOON = fileURLToPath(
  new URL("../../../integrations/hammerspoon/Nobody.spoon", import.meta.url),
);

export async function runSpoon(
  harness: "run_spoon" | "run_dictation",
  args: string[],
  env: Record<string, string>,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const run = await new Deno.Command("lua5.4", {
    args: [fileURLToPath(new URL(`./${harness}.lua`, import.meta.url)), SPOON, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
  return JSON.parse(new TextDecoder().decode(run.stdout));
}
