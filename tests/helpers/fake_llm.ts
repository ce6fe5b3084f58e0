/**
 * @module
 * A local LLM server speaking the real wire formats: Ollama's /api/chat (NDJSON) and OpenAI's
 * /v1/chat/completions (server-sent events). Each request's reply and behaviour come from the
 * test: the reply text, per-token delay, an HTTP error, a hang, or a cut mid-stream.
 */

export interface FakeReply {
  readonly text: string;
  readonly tokenDelayMs?: number;
  readonly status?: number;
  readonly errorMessage?: string;
  /** Accept the request and never answer. */
  readonly hang?: boolean;
  /** Close the connection after this many tokens, without the end marker. */
  readonly cutAfterTokens?: number;
}

export interface FakeLlm {
  readonly url: string;
  /** Requests received, newest last. */
  readonly requests: {
    path: string;
    body: Record<string, unknown>;
    authorization: string | null;
    /** Tokens written to the connection. */
    tokensSent: number;
    /** When the client closed the connection before the reply's end (performance.now()). */
    closedAt: number | null;
  }[];
  reply(next: FakeReply | ((body: Record<string, unknown>) => FakeReply)): void;
  close(): Promise<void>;
}

function tokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

export function startFakeLlm(): FakeLlm {
  let reply: FakeReply | ((body: Record<string, unknown>) => FakeReply) = { text: "Hello." };
  const requests: FakeLlm["requests"] = [];
  const hangs: (() => void)[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const url = new URL(request.url);
      const body = await request.json() as Record<string, unknown>;
      const record: FakeLlm["requests"][number] = {
        path: url.pathname,
        body,
        authorization: request.headers.get("authorization"),
        tokensSent: 0,
        closedAt: null,
      };
      requests.push(record);
      const r = typeof reply === "function" ? reply(body) : reply;
      if (r.hang) {
        // The client giving up shows as the request's signal aborting.
        request.signal.addEventListener("abort", () => record.closedAt ??= performance.now(), {
          once: true,
        });
        return await new Promise<Response>((resolve) =>
          hangs.push(() => resolve(new Response("late")))
        );
      }
      if (r.status) {
        const error = url.pathname === "/api/chat"
          ? { error: r.errorMessage ?? "failed" }
          : { error: { message: r.errorMessage ?? "failed" } };
        return Response.json(error, { status: r.status });
      }
      const ollama = url.pathname === "/api/chat";
      const parts = tokens(r.text);
      const encoder = new TextEncoder();
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      const writer = writable.getWriter();
      // Written after the response has started, as a real server streams its tokens.
      (async () => {
        for (let i = 0; i < parts.length; i++) {
          if (r.cutAfterTokens !== undefined && i === r.cutAfterTokens) {
            // Let what was sent reach the client first, as on a real connection that drops.
            await new Promise((resolve) => setTimeout(resolve, 30));
            await writer.abort(new Error("cut"));
            return;
          }
          if (r.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, r.tokenDelayMs));
          const event = ollama
            ? JSON.stringify({
              model: body.model,
              message: { role: "assistant", content: parts[i] },
              done: false,
            }) + "\n"
            : `data: ${
              JSON.stringify({
                choices: [{ index: 0, delta: { content: parts[i] }, finish_reason: null }],
              })
            }\n\n`;
          await writer.write(encoder.encode(event));
          record.tokensSent++;
        }
        await writer.write(encoder.encode(
          ollama
            ? JSON.stringify({
              model: body.model,
              message: { role: "assistant", content: "" },
              done: true,
            }) + "\n"
            : `data: ${
              JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })
            }\n\ndata: [DONE]\n\n`,
        ));
        await writer.close();
      })().catch(() => {
        // The client went away: nothing to send it.
        record.closedAt ??= performance.now();
      });
      return new Response(readable, {
        headers: { "content-type": ollama ? "application/x-ndjson" : "text/event-stream" },
      });
    },
  );
  const addr = server.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    requests,
    reply: (next) => (reply = next),
    close: async () => {
      for (const release of hangs) release();
      await server.shutdown();
    },
  };
}
