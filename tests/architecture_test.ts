/**
 * The hexagonal rules, checked on every import: the domain imports only the domain and touches no
 * runtime API; ports import only the domain; application services never import adapters, HTTP
 * or the CLI. Only main.ts wires adapters into services.
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
  const text = Deno.readTextFileSync(path);
  const pattern =
    /\b(?:import|export)\s*(?:[\w*{}\s,]*?\bfrom\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  return [...text.matchAll(pattern)].map((m) => m[1] ?? m[2]);
}

function resolved(path: string, specifier: string): string {
  return specifier.startsWith(".")
    ? fileURLToPath(new URL(specifier, pathToFileURL(path))).slice(ROOT.length)
    : specifier;
}

function violations(layer: string, allowed: (target: string) => boolean): string[] {
  return files(`${ROOT}${layer}`.replace(/\/$/, "")).flatMap((path) =>
    imports(path)
      .map((s) => resolved(path, s))
      .filter((target) => !allowed(target))
      .map((target) => `${path.slice(ROOT.length)} imports ${target}`)
  );
}

Deno.test("architecture: the domain imports only the domain and uses no runtime API", () => {
  assert.deepEqual(violations("domain", (t) => t.startsWith("domain/")), []);
  const runtime = files(`${ROOT}domain`).filter((p) =>
    /\bDeno\.|\bfetch\(|\bDate\.now\(|Math\.random\(/.test(Deno.readTextFileSync(p))
  );
  assert.deepEqual(runtime, []);
});

Deno.test("architecture: ports depend only on the domain", () => {
  assert.deepEqual(
    violations("ports", (t) => t.startsWith("domain/") || t.startsWith("ports/")),
    [],
  );
});

Deno.test("architecture: application services never import adapters, HTTP or the CLI", () => {
  assert.deepEqual(
    violations("app", (t) => /^(domain|ports|app|audio)\//.test(t)),
    [],
  );
});

Deno.test("architecture: nothing under src/ imports main.ts", () => {
  assert.deepEqual(violations("", (t) => !t.endsWith("main.ts")), []);
});
