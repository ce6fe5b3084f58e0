import assert from "node:assert/strict";
import { ConsoleLogger } from "./console_logger.ts";

Deno.test("ConsoleLogger filters by level and drops PII unless asked", () => {
  const lines: string[] = [];
  const logger = new ConsoleLogger({ level: "info", write: (line) => lines.push(line) });
  logger.debug("hidden");
  logger.info("turn done", { ms: 12, pii: { transcript: "my secret" } });
  logger.error("failed", { reason: "two words" });
  assert.equal(lines.length, 2);
  assert.match(lines[0], / INFO turn done ms=12$/);
  assert.doesNotMatch(lines[0], /secret/);
  assert.match(lines[1], / ERROR failed reason="two words"$/);

  const piiLines: string[] = [];
  new ConsoleLogger({ level: "debug", logPii: true, write: (l) => piiLines.push(l) })
    .info("turn done", { pii: { transcript: "hello" } });
  assert.match(piiLines[0], /transcript=hello/);
});
