import assert from "node:assert/strict";
import { type ChatMessage, trimHistory } from "./conversation.ts";

const m = (role: "user" | "assistant", content: string, at: number): ChatMessage => ({
  role,
  content,
  at,
});

Deno.test("trimHistory() keeps the newest messages within the budget", () => {
  const history = [
    m("user", "aaaa", 1),
    m("assistant", "bbbb", 2),
    m("user", "cc", 3),
    m("assistant", "dd", 4),
  ];
  assert.deepEqual(trimHistory(history, 100), history);
  assert.deepEqual(trimHistory(history, 8), history.slice(1).slice(1));
  assert.deepEqual(trimHistory(history, 4), history.slice(2));
});

Deno.test("trimHistory() never starts with an assistant message", () => {
  const history = [m("user", "aaaa", 1), m("assistant", "bb", 2), m("user", "cc", 3)];
  assert.deepEqual(trimHistory(history, 4), [history[2]]);
  assert.deepEqual(trimHistory(history, 0), []);
});
