/**
 * @module
 * `deno task bench`: runs every benchmark, each in its own process, and prints one table with each
 * figure next to its goal. Pass --quick for a short load run.
 */
import { fileURLToPath } from "node:url";
import { type Figure, verdict } from "./summary.ts";

const quick = Deno.args.includes("--quick");
const BENCHES: [string, string[]][] = [
  ["audio", []],
  ["grpc", []],
  ["turn", []],
  ["speech", []],
  ["dictation", []],
  ["throughput", []],
  ["memory", []],
  ["load", ["--seconds", quick ? "40" : "180"]],
];
const ROOT = fileURLToPath(new URL("../", import.meta.url));

const file = await Deno.makeTempFile({ suffix: ".jsonl" });
const failed: string[] = [];
for (const [name, args] of BENCHES) {
  console.error(`running bench/${name}.ts ${args.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${ROOT}bench/${name}.ts`, ...args],
    env: { NOBODY_BENCH_SUMMARY: file },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) failed.push(name);
}
const figures = (await Deno.readTextFile(file)).split("\n").filter(Boolean).map((l) =>
  JSON.parse(l) as Figure
);
await Deno.remove(file);

const rows = figures.map((f) => [f.bench, f.figure, f.value, f.goal, verdict(f.value, f.goal)]);
const head = ["bench", "figure", "value", "goal", "verdict"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log("\n## Summary\n");
console.log(line(head));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const row of rows) console.log(line(row));
const missed = rows.filter((r) => r[4] === "missed").length;
console.log(
  `\n${rows.length} figures: ${rows.filter((r) => r[4] === "met").length} met, ${missed} missed, ${
    rows.filter((r) => r[4] === "–").length
  } reported${failed.length ? `; benchmarks that failed to run: ${failed.join(", ")}` : ""}`,
);
Deno.exit(failed.length ? 1 : 0);
