/**
 * @module
 * `deno task compile [--target T ...]`: one executable per target in dist/, carrying the dashboard
 * (ui/assets.ts), the audio thread, and the workers' sources and protos, which the binary unpacks
 * into its data dir on first run (src/workers/unpack.ts).
 *
 * deno compile downloads the `denort` runtime of each target from dl.deno.land; offline, point
 * DENORT_BIN at a denort binary for the host target.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const TARGETS = [
  "aarch64-apple-darwin",
  "x86_64-apple-darwin",
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
];
const ROOT = fileURLToPath(new URL("../", import.meta.url));

const { values } = parseArgs({
  args: Deno.args,
  options: { target: { type: "string", multiple: true } },
});
const targets = values.target ?? TARGETS;
const unknown = targets.filter((t) => !TARGETS.includes(t));
if (unknown.length > 0) {
  console.error(`unknown target ${unknown.join(", ")}; known: ${TARGETS.join(", ")}`);
  Deno.exit(2);
}

let failed = 0;
for (const target of targets) {
  const output = `dist/nobody-${target}`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    cwd: ROOT,
    args: [
      "compile",
      "--allow-all",
      "--target",
      target,
      "--include",
      "ffi/audio_thread.ts",
      "--include",
      "pyproject.toml",
      "--include",
      "workers",
      "--include",
      "proto",
      "--output",
      output,
      "main.ts",
    ],
    stderr: "piped",
  }).output();
  if (code === 0) {
    console.log(`built ${output}`);
    continue;
  }
  failed++;
  const text = new TextDecoder().decode(stderr);
  console.error(`${target}: deno compile failed`);
  console.error(
    /dl\.deno\.land\/release\/.*denort/.test(text)
      ? `  it needs the denort runtime for ${target} from dl.deno.land (or DENORT_BIN): ${
        // deno-lint-ignore no-control-regex
        text.replace(/\x1b\[[0-9;]*m/g, "").split("\n").find((l) => /Download/.test(l))?.trim()}`
      : text,
  );
}
Deno.exit(failed === 0 ? 0 : 1);
