/**
 * @module
 * Regenerates the code for `proto/nobody/v1/*.proto`: TypeScript (protoc-gen-es) into src/gen and
 * Python (protoc + grpc_python_plugin) into workers/common/src. Generated code is committed;
 * tests/proto_test.ts fails when it is stale.
 *
 *   deno task proto                 # regenerate in place
 *   deno task proto --out-dir DIR   # generate under DIR instead (for the staleness test)
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");
export const TS_OUT = "src/gen";
export const PY_OUT = "workers/common/src";

async function run(cmd: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(cmd, { args, cwd: ROOT, stderr: "piped" })
    .output();
  if (code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${new TextDecoder().decode(stderr)}`);
  }
}

export async function protoFiles(): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(`${ROOT}/proto/nobody/v1`)) {
    if (entry.name.endsWith(".proto")) files.push(`nobody/v1/${entry.name}`);
  }
  return files.sort();
}

export async function generate(outRoot: string): Promise<void> {
  const files = await protoFiles();
  const tsOut = `${outRoot}/${TS_OUT}`;
  const pyOut = `${outRoot}/${PY_OUT}`;
  await Deno.mkdir(tsOut, { recursive: true });
  await Deno.mkdir(pyOut, { recursive: true });
  // protoc runs plugins as executables; this one runs protoc-gen-es from the locked npm package.
  const pluginDir = await Deno.makeTempDir();
  try {
    const plugin = `${pluginDir}/protoc-gen-es`;
    await Deno.writeTextFile(
      plugin,
      `#!/bin/sh\nexec "${Deno.execPath()}" run -A --quiet --config "${ROOT}/deno.json" npm:@bufbuild/protoc-gen-es "$@"\n`,
      { mode: 0o755 },
    );
    await run("protoc", [
      "-I",
      "proto",
      `--plugin=protoc-gen-es=${plugin}`,
      `--es_out=${tsOut}`,
      "--es_opt=target=ts,import_extension=ts",
      ...files.map((f) => `proto/${f}`),
    ]);
  } finally {
    await Deno.remove(pluginDir, { recursive: true });
  }
  await run("protoc", [
    "-I",
    "proto",
    `--python_out=${pyOut}`,
    `--pyi_out=${pyOut}`,
    `--grpc_python_out=${pyOut}`,
    `--plugin=protoc-gen-grpc_python=${grpcPythonPlugin()}`,
    ...files.map((f) => `proto/${f}`),
  ]);
  // Make the generated Python importable as the package nobody.v1.
  for (const dir of [`${pyOut}/nobody`, `${pyOut}/nobody/v1`]) {
    await Deno.writeTextFile(`${dir}/__init__.py`, "");
  }
}

function grpcPythonPlugin(): string {
  return Deno.env.get("GRPC_PYTHON_PLUGIN") ?? "/usr/bin/grpc_python_plugin";
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { "out-dir": { type: "string" } } });
  await generate(values["out-dir"] ?? ROOT);
}
