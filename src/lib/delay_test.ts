import assert from "node:assert/strict";
import { delay } from "./delay.ts";

Deno.test("delay() resolves, and rejects with the signal's reason when aborted", async () => {
  await delay(1);
  const controller = new AbortController();
  const pending = delay(60_000, { signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(pending, /stop/);
  await assert.rejects(delay(1, { signal: AbortSignal.abort(new Error("early")) }), /early/);
});
