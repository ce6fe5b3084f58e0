/**
 * Unauthenticated denial of service, as a local process without a token would try it: exhaust
 * the descriptors with idle and slow connections, flood sessions, subscribe to /events and never
 * read. Every attack is bounded in count and time, and each test shows the service still serving
 * another client while it runs.
 */
import assert from "node:assert/strict";
import { type ServerProcess, startServer } from "./helpers/server_process.ts";
import { waitUntil, within } from "./helpers/wait.ts";
import { withCore } from "./helpers/core_harness.ts";
import { raiseFdLimit } from "../src/adapters/os/fd_limit.ts";

// This process holds the attack's connections: it needs more descriptors than the server has.
raiseFdLimit();

async function withServer(
  fn: (server: ServerProcess) => Promise<void>,
  options: { prefix?: string[] } = {},
): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-attack-" });
  const server = await startServer(dataDir, [], {}, options);
  try {
    await fn(server);
  } finally {
    const status = await server.stop();
    await Deno.remove(dataDir, { recursive: true });
    assert.ok(status.signal === null || status.signal === "SIGTERM", "the service did not crash");
  }
}

async function status(server: ServerProcess): Promise<number> {
  const response = await fetch(`${server.url}/status`, {
    headers: { authorization: `Bearer ${server.token}` },
    signal: AbortSignal.timeout(10_000),
  });
  await response.body?.cancel();
  return response.status;
}

function closeAll(conns: Deno.Conn[]): void {
  for (const conn of conns) {
    try {
      conn.close();
    } catch {
      // closed by the server already
    }
  }
}

// Defect: half-open connections were never closed, and past the open-file limit the whole core
// died with "Too many open files" (982 connections at a 1024 limit, no token needed).
Deno.test("attack: 1,500 silent and 200 slow connections at a 1,024-descriptor limit leave the service serving", () =>
  withServer(async (server) => {
    const attack: Deno.Conn[] = [];
    try {
      for (let i = 0; i < 1_500; i++) {
        attack.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
      }
      const partial = new TextEncoder().encode("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      for (let i = 0; i < 200; i++) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
        attack.push(conn);
        await conn.write(partial).catch(() => 0); // a head that never ends (slowloris)
      }
      for (let i = 0; i < 20; i++) {
        assert.equal(await status(server), 200, `request ${i} during the attack`);
      }
      assert.equal(server.child.pid > 0 && (await isRunning(server)), true);
    } finally {
      closeAll(attack);
    }
    assert.equal(await status(server), 200, "and after it");
    assert.doesNotMatch(server.stderrTail(), /Too many open files|Uncaught/);
  }, { prefix: ["prlimit", "--nofile=1024:1024"] }));

// A connection that sends nothing is closed by the server after the head timeout.
Deno.test("attack: a connection that never sends its request head is closed within the timeout", () =>
  withServer(async (server) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    try {
      const closed = await within(
        "the server to close a silent connection",
        conn.read(new Uint8Array(16)),
        20_000,
      );
      assert.equal(closed, null, "EOF: the server closed it");
    } finally {
      closeAll([conn]);
    }
  }));

async function isRunning(server: ServerProcess): Promise<boolean> {
  const probe = await new Deno.Command("kill", { args: ["-0", String(server.child.pid)] }).output();
  return probe.success;
}

// Defect: sessions had no limit and never expired: 10,500 were created in 9 s (core 73 -> 840 MB).
Deno.test("attack: a session flood stops at the cap with 429, and the service keeps serving", () =>
  withServer(async (server) => {
    const headers = {
      authorization: `Bearer ${server.token}`,
      "content-type": "application/json",
    };
    const made: string[] = [];
    let refused: Response | null = null;
    for (let i = 0; i < 500 && refused === null; i++) {
      const response = await fetch(`${server.url}/sessions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ audio: "socket" }),
      });
      if (response.status === 201) made.push((await response.json()).id);
      else refused = response;
    }
    assert.ok(refused, "the flood was stopped");
    assert.equal(refused.status, 429);
    const body = await refused.json();
    assert.equal(body.error.code, "too_many_requests");
    assert.equal(made.length, 64);
    assert.equal(await status(server), 200);
    const deleted = await fetch(`${server.url}/sessions/${made[0]}`, { method: "DELETE", headers });
    assert.equal(deleted.status, 204);
    const again = await fetch(`${server.url}/sessions`, {
      method: "POST",
      headers,
      body: JSON.stringify({ audio: "socket" }),
    });
    assert.equal(again.status, 201, "room again after a delete");
    await again.body?.cancel();
  }));

// Defect: a slow /events subscriber made the service queue every event for it, without bound.
Deno.test("attack: an /events subscriber that never reads is disconnected, and others keep getting events", () =>
  withServer(async (server) => {
    const slow = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    const head = `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
      `Authorization: Bearer ${server.token}\r\n\r\n`;
    await slow.write(new TextEncoder().encode(head));
    const headers = {
      authorization: `Bearer ${server.token}`,
      "content-type": "application/json",
    };
    // A reader that keeps up, to show events still flow.
    const live = await fetch(`${server.url}/events`, { headers });
    const reader = live.body!.pipeThrough(new TextDecoderStream()).getReader();
    let liveText = "";
    const liveReading = (async () => {
      while (true) {
        const { done, value } = await reader.read();
        if (done) return;
        liveText = (liveText + value).slice(-100_000);
      }
    })();
    try {
      // Each persona event carries its 20,000-character prompt: about 40 MB of events in all,
      // far more than the socket buffers between the service and the slow reader.
      const prompt = "x".repeat(20_000);
      let last = "";
      for (let i = 0; i < 1_000; i++) {
        const created = await fetch(`${server.url}/personas`, {
          method: "POST",
          headers,
          body: JSON.stringify({
            name: `p${i}`,
            systemPrompt: prompt,
            llm: { provider: "ollama", model: "m" },
          }),
        });
        assert.equal(created.status, 201);
        last = (await created.json()).id;
        const deleted = await fetch(`${server.url}/personas/${last}`, {
          method: "DELETE",
          headers,
        });
        assert.equal(deleted.status, 204);
      }
      await waitUntil("the live subscriber to see the last event", () => liveText.includes(last));
      // The slow subscriber's stream was cut: what the buffers hold ends with the end of the
      // chunked body (or the connection), not with the last events.
      const sink = new Uint8Array(1 << 20);
      let tail = "";
      const eof = await within(
        "the slow subscriber's stream to end",
        (async () => {
          while (true) {
            const n = await slow.read(sink);
            if (n === null) return true;
            tail = (tail + new TextDecoder().decode(sink.subarray(0, n))).slice(-200_000);
            if (tail.endsWith("\r\n0\r\n\r\n")) return true;
          }
        })(),
        30_000,
      );
      assert.ok(!tail.includes(last), "the slow subscriber did not get every event");
      assert.ok(eof);
      assert.equal(await status(server), 200);
    } finally {
      closeAll([slow]);
      await reader.cancel();
      await liveReading.catch(() => {});
    }
  }));

// Defect: one size guard stood between a malformed frame and a dead process: any throw inside a
// WebSocket message handler was an uncaught exception.
Deno.test("attack: a WebSocket message that throws inside the service becomes an error event", () =>
  withCore(async (h) => {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => h.core.app.fetch(req),
    );
    try {
      const session = await (await h.json("/sessions", "POST", { audio: "socket" })).json();
      const live = h.core.sessions.get(session.id);
      live.pushAudio = () => {
        throw new Error("a bug nobody foresaw");
      };
      const socket = new WebSocket(
        `ws://127.0.0.1:${server.addr.port}/ws/session/${session.id}`,
        { headers: { authorization: `Bearer ${h.core.token}` } },
      );
      const events: Record<string, unknown>[] = [];
      socket.onmessage = (e) => typeof e.data === "string" && events.push(JSON.parse(e.data));
      await waitUntil("hello", () => events.some((e) => e.type === "hello"));
      socket.send(new Float32Array(4).buffer);
      await waitUntil("the error event", () => events.some((e) => e.code === "internal"));
      socket.send(JSON.stringify({ type: "no_such_command" }));
      await waitUntil(
        "the session to answer again",
        () => events.some((e) => e.type === "error" && e.code !== "internal"),
      );
      socket.close();
    } finally {
      await server.shutdown();
    }
  }));
