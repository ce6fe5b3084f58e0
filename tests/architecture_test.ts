/**
 * The hexagonal rules, checked on every import of every folder under src/: the domain imports only
 * the domain and touches no runtime API; ports import only the domain; application services never
 * import adapters, HTTP or the CLI; HTTP and the worker supervisor reach adapters only through
 * ports; packages are used only where their layer needs them. Only main.ts wires adapters into
 * services.
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import assert from "node:assert/strict";

const ROOT = fileURLToPath(new URL("../src/", import.meta.url));

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...files(path));
    else if (path.endsWith(".ts") && !path.endsWith("_test.ts")) out.push(path);
  }
  return out;
}

function imports(path: string): string[] {
  // Comments go first: a doc comment's @example imports what its reader would, not the module.
  const text = Deno.readTextFileSync(path).replace(/\/\*\*[\s\S]*?\*\//g, "");
  const pattern =
    /^\s*(?:import|export)\s*(?:[\w*{}\s,]*?\bfrom\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;
  return [...text.matchAll(pattern)].map((m) => m[1] ?? m[2]);
}

/** A folder under src/ ("domain/..."), "outside:<path>" for the rest of the checkout, or a package. */
function resolved(path: string, specifier: string): string {
  if (!specifier.startsWith(".")) return `package:${specifier}`;
  const target = fileURLToPath(new URL(specifier, pathToFileURL(path)));
  return target.startsWith(ROOT)
    ? target.slice(ROOT.length)
    : `outside:${target.slice(ROOT.length - 4)}`;
}

function violations(layer: string, allowed: (target: string) => boolean): string[] {
  return files(`${ROOT}${layer}`.replace(/\/$/, "")).flatMap((path) =>
    imports(path)
      .map((s) => resolved(path, s))
      .filter((target) => !allowed(target))
      .map((target) => `${path.slice(ROOT.length)} imports ${target}`)
  );
}

/** What each folder under src/ may import: folders, and package name patterns. */
const RULES: Record<string, { folders: string[]; packages?: RegExp }> = {
  domain: { folders: ["domain"] },
  ports: { folders: ["domain", "ports"] },
  lib: { folders: ["lib"] },
  audio: { folders: ["audio", "domain", "lib"] },
  config: { folders: ["config", "domain"], packages: /^smol-toml$/ },
  gen: { folders: ["gen"], packages: /^@bufbuild\// },
  app: { folders: ["app", "domain", "ports", "audio", "lib"] },
  workers: { folders: ["workers", "domain", "ports", "lib", "config"] },
  service: { folders: ["service"] },
  http: { folders: ["http", "app", "domain", "ports", "audio", "lib"], packages: /^hono(\/|$)/ },
  adapters: {
    folders: ["adapters", "domain", "ports", "audio", "lib", "config", "gen", "outside:ffi"],
    packages: /^(@connectrpc\/|@bufbuild\/|node:|eventsource-parser$|yaml$)/,
  },
  cli: {
    folders: [
      "cli",
      "adapters",
      "app",
      "audio",
      "config",
      "http",
      "domain",
      "lib",
      "ports",
      "service",
      "outside:ffi",
    ],
    packages: /^node:/,
  },
};

function allowed(layer: string, target: string): boolean {
  const rule = RULES[layer];
  if (target.startsWith("package:")) return rule.packages?.test(target.slice(8)) ?? false;
  return rule.folders.some((f) => target === f || target.startsWith(`${f}/`));
}

Deno.test("architecture: every folder under src/ has a rule", () => {
  const folders = [...Deno.readDirSync(ROOT)].filter((e) => e.isDirectory).map((e) => e.name)
    .sort();
  assert.deepEqual(folders, Object.keys(RULES).sort());
  const loose = [...Deno.readDirSync(ROOT)].filter((e) => e.isFile).map((e) => e.name);
  assert.deepEqual(loose, [], "every module belongs to a layer folder");
});

for (const layer of Object.keys(RULES)) {
  Deno.test(`architecture: ${layer}/ imports only what its layer may`, () => {
    assert.deepEqual(violations(layer, (target) => allowed(layer, target)), []);
  });
}

Deno.test("architecture: the domain uses no runtime API", () => {
  const runtime = files(`${ROOT}domain`).filter((p) =>
    /\bDeno\.|\bfetch\(|\bDate\.now\(|Math\.random\(/.test(Deno.readTextFileSync(p))
  );
  assert.deepEqual(runtime, []);
});

Deno.test("architecture: nothing under src/ imports main.ts", () => {
  assert.deepEqual(violations("", (t) => !t.endsWith("main.ts")), []);
});

Deno.test("architecture: a rule catches a forbidden import (the checker itself can fail)", () => {
  assert.ok(!allowed("http", "adapters/audio/ffmpeg_encode.ts"));
  assert.ok(!allowed("workers", "package:@connectrpc/connect"));
  assert.ok(!allowed("domain", "ports/logger.ts"));
  assert.ok(allowed("adapters", "outside:ffi/portaudio.ts"));
  assert.deepEqual(imports(`${ROOT}http/routes/openai_audio.ts`).length > 3, true);
});
