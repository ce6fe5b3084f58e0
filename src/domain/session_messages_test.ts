import assert from "node:assert/strict";
import { parseClientMessage } from "./session_messages.ts";

Deno.test("parseClientMessage() accepts every command", () => {
  const valid = [
    { type: "hello", sample_rate: 16_000, audio: "socket" },
    { type: "hello" },
    { type: "start_recording" },
    { type: "stop_recording" },
    { type: "cancel" },
    { type: "set_persona", persona_id: "persona_aaaaaaaaaaaaaaaaaaaa" },
    { type: "set_voice", voice_id: null },
    { type: "set_voice", voice_id: "voice_aaaaaaaaaaaaaaaaaaaa" },
  ];
  for (const message of valid) {
    const result = parseClientMessage(message);
    assert.ok(result.ok, JSON.stringify(message));
    assert.equal(result.value.type, message.type);
  }
});

Deno.test("parseClientMessage() names what is wrong", () => {
  const cases: [unknown, RegExp][] = [
    ["start", /a message must be a JSON object/],
    [{}, /unknown message type undefined/],
    [{ type: "dance" }, /unknown message type "dance" \(known: hello, start_recording/],
    [{ type: "hello", sample_rate: 4 }, /"sample_rate" must be an integer from 8000 to 192000/],
    [{ type: "hello", sample_rate: 44_100.5 }, /"sample_rate" must be an integer/],
    [{ type: "hello", audio: "bluetooth" }, /"audio" must be "socket" or "device"/],
    [{ type: "set_persona", persona_id: "x" }, /"persona_id" must be a persona id/],
    [{ type: "set_voice", voice_id: "../x" }, /"voice_id" must be a voice id or null/],
    [{ type: "cancel", now: true }, /cancel has unknown field "now"/],
  ];
  for (const [value, pattern] of cases) {
    const result = parseClientMessage(value);
    assert.ok(!result.ok, JSON.stringify(value));
    assert.equal(result.error.code, "invalid_request");
    assert.match(result.error.message, pattern);
  }
});
