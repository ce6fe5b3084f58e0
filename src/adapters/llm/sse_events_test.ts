import assert from "node:assert/strict";
import { NobodyError } from "../../domain/errors.ts";
import { OpenAiCompatibleProvider } from "./openai_compatible.ts";

/** A provider that sends exactly these bytes, in these chunks. */
async function serving(chunks: string[], fn: (url: string) => Promise<void>) {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => {
    const body = ReadableStream.from(chunks.map((c) => new TextEncoder().encode(c)));
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/v1`);
  } finally {
    await server.shutdown();
  }
}

async function reply(url: string): Promise<string> {
  const provider = new OpenAiCompatibleProvider({ name: "Test", baseUrl: url, apiKey: null });
  let text = "";
  for await (const piece of provider.chat([{ role: "user", content: "hi" }], { model: "m" })) {
    text += piece;
  }
  return text;
}

const delta = (content: string) => JSON.stringify({ choices: [{ delta: { content } }] });

Deno.test("SSE: comments, ids, CRLF, events split across chunks and multi-line data all parse", async () => {
  await serving([
    ": keep-alive\r\n\r\n",
    "id: 1\r\nevent: message\r\ndata: ",
    `${delta("Hel")}\r\n\r\n`,
    // A data field over two lines is one event whose data joins them with a newline.
    `data: {"choices":\ndata: [{"delta":{"content":"lo"}}]}\n\n`,
    "retry: 1000\n\n",
    `data: ${delta(" there")}\n\ndata: [DONE]\n\n`,
  ], async (url) => {
    assert.equal(await reply(url), "Hello there");
  });
});

Deno.test("SSE: an `error` event is the provider's error, with its words", async () => {
  await serving(
    [`data: ${delta("a")}\n\n`, 'event: error\ndata: {"message":"overloaded"}\n\n'],
    async (url) => {
      await assert.rejects(
        reply(url),
        (e: unknown) =>
          e instanceof NobodyError && e.code === "unavailable" && /overloaded/.test(e.message),
      );
    },
  );
});

Deno.test("SSE: a stream that ends without [DONE] is an early end, not a silent short reply", async () => {
  await serving([`data: ${delta("cut")}\n\n`], async (url) => {
    await assert.rejects(
      reply(url),
      (e: unknown) => e instanceof NobodyError && /ended|before/.test(e.message),
    );
  });
});
