import assert from "node:assert/strict";
import { RecentProblems } from "./recent_problems.ts";
import { ConsoleLogger } from "./console_logger.ts";

Deno.test("RecentProblems keeps the latest warnings and errors, newest first, without PII", () => {
  const lines: string[] = [];
  let now = 0;
  const log = new RecentProblems(
    new ConsoleLogger({ level: "debug", write: (l) => lines.push(l) }),
    {
      limit: 2,
      now: () => ++now,
    },
  );
  log.info("started");
  log.warn("slow", { ms: 5 });
  log.error("failed", { reason: new Error("boom"), pii: { text: "secret" } });
  log.warn("late");
  assert.equal(lines.length, 4, "everything still reaches the inner logger");
  assert.deepEqual(log.list(), [
    { at: 3, level: "warn", message: "late", fields: {} },
    { at: 2, level: "error", message: "failed", fields: { reason: "boom" } },
  ]);
});
