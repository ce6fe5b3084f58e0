import assert from "node:assert/strict";
import { fromWireCase, toWireCase } from "./wire_case.ts";

Deno.test("toWireCase() snake-cases every key, deeply, and leaves values alone", () => {
  assert.deepEqual(
    toWireCase({
      voiceId: "voiceIdValue",
      quality: { snrDb: 3, warnings: ["keepThis"] },
      a: [{ xY: 1 }],
    }),
    { voice_id: "voiceIdValue", quality: { snr_db: 3, warnings: ["keepThis"] }, a: [{ x_y: 1 }] },
  );
  assert.deepEqual(toWireCase({ already_snake: 1, id: 2 }), { already_snake: 1, id: 2 });
});

Deno.test("fromWireCase() reads snake_case and the old camelCase, snake_case winning", () => {
  assert.deepEqual(
    fromWireCase({ system_prompt: "a", llm: { base_url: "u" }, voiceId: null }),
    { systemPrompt: "a", llm: { baseUrl: "u" }, voiceId: null },
  );
  assert.deepEqual(fromWireCase({ systemPrompt: "old", system_prompt: "new" }), {
    systemPrompt: "new",
  });
});
