/**
 * A turn that fails, as every client sees it: the WebSocket error names its turn, /events sends it
 * as `session_error` (EventSource treats an `error` event as a broken connection), the history
 * keeps the conversation with its session for the dashboard, and clearing it forgets it. The
 * persona form's model test runs one timed completion.
 */
import assert from "node:assert/strict";
import { withConversation } from "./helpers/conversation_harness.ts";
import { waitUntil } from "./helpers/wait.ts";

const RATE = 16_000;

/** The raw SSE blocks of /events, as text, until aborted. */
function sse(url: string, token: string) {
  const controller = new AbortController();
  let text = "";
  const done = fetch(`${url}/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  }).then(async (response) => {
    for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) text += chunk;
  }).catch(() => {});
  return { text: () => text, close: () => (controller.abort(), done) };
}

Deno.test("conversation: a failed turn names its turn on the socket and is session_error on SSE", () =>
  withConversation(async (c) => {
    const events = sse(c.url, c.token);
    // An open event stream would hold the server's shutdown: it ends whatever the test finds.
    try {
      await failedTurn(c, events);
    } finally {
      await events.close();
    }
  }));

async function failedTurn(
  c: Parameters<Parameters<typeof withConversation>[0]>[0],
  events: ReturnType<typeof sse>,
) {
  {
    c.llm.reply({ text: "Hello. I am fine.", tokenDelayMs: 1 });
    const ws = await c.openSession(RATE);
    const speech = await c.speech("turn on the kitchen lights", RATE);
    ws.speak(speech, RATE);
    await ws.waitFor((m) => m.type === "playback_complete");
    c.llm.reply({ text: "", status: 500, errorMessage: "the model fell over" });
    ws.speak(speech, RATE);
    await ws.waitFor((m) => m.type === "error");
    const [error] = ws.events("error");
    const started = ws.events("recording_started");
    assert.deepEqual(started.map((m) => m.turn), [1, 2]);
    assert.equal(error.turn, 2, "the error belongs to the second turn");
    assert.match(String(error.message), /fell over/);

    const block = await waitUntil(
      "the SSE block",
      () => events.text().split("\n\n").find((b) => b.includes("fell over")),
    );
    assert.match(block, /^event: session_error$/m, block);
    assert.doesNotMatch(events.text(), /^event: error$/m, "SSE's own word is never used");
    const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]);
    assert.equal(data.type, "session_error");
    assert.equal(data.turn, 2);

    // The history keeps both turns with their session, and the reply's voice (the default).
    const sessionId = ws.events("hello")[0].session_id;
    const history = await (await c.api(`/personas/${c.personaId}/history`)).json();
    assert.deepEqual(
      history.messages.map((m: { role: string; content: string; interrupted?: boolean }) => [
        m.role,
        m.content,
        m.interrupted ?? false,
      ]),
      [
        ["user", "turn on the kitchen lights", false],
        ["assistant", "Hello. I am fine.", false],
        ["user", "turn on the kitchen lights", false],
        ["assistant", "", true],
      ],
    );
    assert.ok(history.messages.every((m: { session_id: string }) => m.session_id === sessionId));
    assert.ok(history.messages.every((m: { voice_id: null }) => m.voice_id === null));
    const bad = await c.api(`/personas/${c.personaId}/history?limit=0`);
    assert.equal(bad.status, 400);
    await bad.body?.cancel();

    const cleared = await (await c.api(`/personas/${c.personaId}/history`, "DELETE")).json();
    assert.equal(cleared.deleted, 4);
    assert.deepEqual((await (await c.api(`/personas/${c.personaId}/history`)).json()).messages, []);
    const missing = await c.api("/personas/persona_aaaaaaaaaaaaaaaaaaaa/history", "DELETE");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  }
}

Deno.test("model test: one short completion, timed to its first token; a dead model says why", () =>
  withConversation(async (c) => {
    c.llm.reply({ text: "Hello there!", tokenDelayMs: 1 });
    const ok = await c.api("/status/llm/test", "POST", {
      llm: { provider: "ollama", model: "tiny", base_url: c.llm.url },
    });
    assert.equal(ok.status, 200);
    const result = await ok.json();
    assert.equal(result.reply, "Hello there!");
    assert.ok(result.first_token_ms >= 0 && result.first_token_ms <= result.total_ms);
    assert.equal(c.llm.requests.at(-1)?.body.model, "tiny");

    c.llm.reply({ text: "", status: 404, errorMessage: "model 'nope' not found" });
    const missing = await c.api("/status/llm/test", "POST", {
      llm: { provider: "ollama", model: "nope", base_url: c.llm.url },
    });
    assert.ok(missing.status >= 400);
    assert.match((await missing.json()).error.message, /not found/);

    const invalid = await c.api("/status/llm/test", "POST", { llm: { provider: "gpt" } });
    assert.equal(invalid.status, 400);
    assert.match((await invalid.json()).error.message, /"provider" must be one of/);
  }));
