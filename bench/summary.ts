/**
 * @module
 * Every benchmark reports its figures here as well as in its own table: with NOBODY_BENCH_SUMMARY
 * set to a file, each figure is appended to it as a JSON line, which `deno task bench` (all.ts)
 * gathers into one table with each figure next to its goal.
 */

export interface Figure {
  readonly bench: string;
  readonly figure: string;
  /** As printed, e.g. "71.2" or "12.0 / 30.1" (p50 / p99). */
  readonly value: string;
  /** "<= 100", ">= 1000", "within 50", "0 / 0, 0" (exact), or "report". */
  readonly goal: string;
}

export async function summarize(figures: readonly Figure[]): Promise<void> {
  const file = Deno.env.get("NOBODY_BENCH_SUMMARY");
  if (!file) return;
  await Deno.writeTextFile(file, figures.map((f) => JSON.stringify(f) + "\n").join(""), {
    append: true,
  });
}

/** Whether the value meets the goal: the first number of the value is what is compared. */
export function verdict(value: string, goal: string): "met" | "missed" | "–" {
  if (goal === "report") return "–";
  const number = Number.parseFloat(value.replace(/^[^\d+-]*/, ""));
  const bound = /^(<=|>=|within)\s*([\d.]+)/.exec(goal);
  if (bound) {
    const target = Number(bound[2]);
    const ok = bound[1] === "<="
      ? number <= target
      : bound[1] === ">="
      ? number >= target
      : Math.abs(number) <= target;
    return Number.isFinite(number) && ok ? "met" : "missed";
  }
  return value.trim() === goal.trim() ? "met" : "missed";
}

/** A figure measured many times, reported as p50 / p99 against its goal. */
export interface Percentiles {
  readonly figure: string;
  readonly values: number[];
  readonly goal: string;
}

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))] ?? NaN;
};

/** Prints the p50 / p99 table and hands the figures to `deno task bench`. */
export async function reportPercentiles(bench: string, rows: readonly Percentiles[]) {
  const w = Math.max(...rows.map((r) => r.figure.length));
  console.log(`| ${"figure".padEnd(w)} |    p50 |    p99 | goal |`);
  console.log(`| ${"-".repeat(w)} | ------ | ------ | ---- |`);
  for (const r of rows) {
    console.log(
      `| ${r.figure.padEnd(w)} | ${percentile(r.values, 50).toFixed(1).padStart(6)} | ${
        percentile(r.values, 99).toFixed(1).padStart(6)
      } | ${r.goal} |`,
    );
  }
  await summarize(rows.map((r) => ({
    bench,
    figure: `${r.figure.trim()}, p50 / p99`,
    value: `${percentile(r.values, 50).toFixed(1)} / ${percentile(r.values, 99).toFixed(1)}`,
    goal: r.goal,
  })));
}
