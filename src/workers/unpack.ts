/**
 * @module
 * A compiled binary carries the Python workers' sources inside it, where Python cannot read them.
 * On start they are unpacked into `<data dir>/runtime/workers-<version>-<hash>/` once, atomically
 * (a temp folder renamed into place), and older unpacked versions are removed.
 */
/** What the workers need at run time: sources, protos and the uv workspace files. */
const INCLUDE =
  /^(pyproject\.toml|uv\.lock|proto\/.+\.proto|workers\/[^/]+\/(pyproject\.toml|src\/.+\.(py|pyi|json)))$/;
const COMPLETE = ".complete";

async function* walk(root: string, prefix = ""): AsyncIterable<string> {
  for await (const entry of Deno.readDir(`${root}/${prefix}`)) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      if (entry.name === "__pycache__" || entry.name === "tests" || entry.name === ".venv") {
        continue;
      }
      yield* walk(root, `${rel}/`);
    } else if (INCLUDE.test(rel)) yield rel;
  }
}

export async function workerFiles(sourceDir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const rel of walk(sourceDir)) files.push(rel);
  return files.sort();
}

/** Returns the folder to run the workers from, unpacking it first when needed. */
export async function unpackWorkers(
  options: { sourceDir: string; dataDir: string; version: string },
): Promise<{ dir: string; unpacked: boolean }> {
  const files = await workerFiles(options.sourceDir);
  if (!files.includes("pyproject.toml")) {
    throw new Error(`${options.sourceDir} does not hold the workers' sources (no pyproject.toml)`);
  }
  const contents = await Promise.all(files.map((f) => Deno.readFile(`${options.sourceDir}/${f}`)));
  const hash = await contentHash(files, contents);
  const runtime = `${options.dataDir}/runtime`;
  const name = `workers-${options.version}-${hash.slice(0, 12)}`;
  const dir = `${runtime}/${name}`;
  const done = await Deno.stat(`${dir}/${COMPLETE}`).then(() => true, () => false);
  if (!done) {
    await Deno.mkdir(runtime, { recursive: true });
    const temp = await Deno.makeTempDir({ dir: runtime, prefix: ".unpack-" });
    try {
      for (const [i, rel] of files.entries()) {
        const target = `${temp}/${rel}`;
        await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
        await Deno.writeFile(target, contents[i]);
      }
      await Deno.writeTextFile(`${temp}/${COMPLETE}`, `${files.length} files\n`);
      await Deno.remove(dir, { recursive: true }).catch(() => {}); // a copy cut off before its marker
      await Deno.rename(temp, dir);
    } catch (error) {
      await Deno.remove(temp, { recursive: true }).catch(() => {});
      throw error;
    }
  }
  // Older versions and interrupted unpacks.
  for await (const entry of Deno.readDir(runtime)) {
    if (entry.name !== name && /^(workers-|\.unpack-)/.test(entry.name)) {
      await Deno.remove(`${runtime}/${entry.name}`, { recursive: true }).catch(() => {});
    }
  }
  return { dir, unpacked: !done };
}

async function contentHash(
  names: readonly string[],
  contents: readonly Uint8Array[],
): Promise<string> {
  const encoder = new TextEncoder();
  const parts = names.flatMap((name, i) => [
    encoder.encode(`${name}\0${contents[i].length}\0`),
    contents[i],
  ]);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether this process is a `deno compile` binary (its modules live in a virtual file system). */
export function isCompiled(moduleUrl: string): boolean {
  return /\/deno-compile-[^/]+\//.test(moduleUrl);
}
