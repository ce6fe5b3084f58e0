/**
 * The status endpoints the dashboard's status page reads: recent problems, LLM reachability and
 * audio devices.
 */
import assert from "node:assert/strict";
import { expectError, multipart, withCore } from "./helpers/core_harness.ts";
import { SPEECH_WAV } from "./helpers/fixtures.ts";

Deno.test("status: recent problems are listed, newest first, without PII", () =>
  withCore(async (h) => {
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    const upload = await h.request(`/voices/${voice.id}/samples`, {
      method: "POST",
      body: multipart("file", await Deno.readFile(SPEECH_WAV), "a.wav"),
    });
    assert.equal(upload.status, 201);
    await upload.body?.cancel();
    const status = await (await h.request("/status")).json();
    assert.equal(status.problems[0].level, "warn");
    assert.equal(status.problems[0].message, "sample stored without analysis");
    assert.match(status.problems[0].fields.reason, /workers are disabled/);
  }));

Deno.test("status: Ollama reachability names its models, or says how to start it", async () => {
  const ollama = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (request) =>
      new URL(request.url).pathname === "/api/tags"
        ? Response.json({ models: [{ name: "llama3.2:3b" }, { name: "qwen3:8b" }] })
        : new Response("no", { status: 404 }),
  );
  try {
    const url = `http://127.0.0.1:${ollama.addr.port}`;
    await withCore(async (h) => {
      const { ollama: up } = await (await h.request("/status/llm")).json();
      assert.deepEqual(up, {
        url,
        reachable: true,
        models: ["llama3.2:3b", "qwen3:8b"],
        error: null,
      });
    }, { env: { NOBODY_OLLAMA_URL: url } });
  } finally {
    await ollama.shutdown();
  }
  // A port nothing listens on.
  const probe = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const closed = `http://127.0.0.1:${(probe.addr as Deno.NetAddr).port}`;
  probe.close();
  await withCore(async (h) => {
    const { ollama: down } = await (await h.request("/status/llm")).json();
    assert.equal(down.reachable, false);
    assert.match(down.error, /start it with `ollama serve`/);
  }, { env: { NOBODY_OLLAMA_URL: closed } });
});

Deno.test("status: audio devices are listed by a child process, and its failure is a clear 503", async () => {
  await withCore(async (h) => {
    const response = await h.request("/status/devices");
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.ok(Array.isArray(body.devices));
  });
  await withCore(async (h) => {
    const error = await expectError(await h.request("/status/devices"), 503, "unavailable");
    assert.match(error.message, /listing audio devices failed/);
  }, { env: { NOBODY_PORTAUDIO_LIB: "/nonexistent/libportaudio.so" } });
});
