import assert from "node:assert/strict";
import { ConsoleLogger } from "../adapters/log/console_logger.ts";
import { ConnectionGuard } from "./connection_guard.ts";

/** The runtime class of accepted TCP connections, found by accepting one. */
async function tcpConnPrototype(): Promise<{ setNoDelay(on?: boolean): void }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const accepted = await listener.accept();
  const prototype = Object.getPrototypeOf(accepted);
  accepted.close();
  client.close();
  listener.close();
  return prototype;
}

Deno.test("ConnectionGuard turns Nagle off on every connection it relays", async () => {
  // With Nagle on, a small write (an event, a 20 ms audio frame) waited for the client's ACK of
  // the one before: 14 ms more from key release to a reply's first sample (bench:sessions).
  const dir = await Deno.makeTempDir();
  const upstream = `${dir}/http.sock`;
  const server = Deno.serve(
    { transport: "unix", path: upstream, onListen: () => {} },
    () => new Response("ok"),
  );
  const prototype = await tcpConnPrototype();
  const original = prototype.setNoDelay;
  const calls: (boolean | undefined)[] = [];
  prototype.setNoDelay = function (this: unknown, on?: boolean) {
    calls.push(on);
    return original.call(this, on);
  };
  const stop = new AbortController();
  try {
    const guard = new ConnectionGuard({
      hostname: "127.0.0.1",
      port: 0,
      upstream,
      maxConnections: 10,
      maxPending: 10,
      headerTimeoutMs: 5_000,
      keepAliveTimeoutMs: 5_000,
      logger: new ConsoleLogger({ level: "error", write: () => {} }),
      signal: stop.signal,
    });
    const response = await fetch(`http://127.0.0.1:${guard.port}/`);
    assert.equal(await response.text(), "ok");
    assert.deepEqual(calls, [true]);
  } finally {
    prototype.setNoDelay = original;
    stop.abort();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
