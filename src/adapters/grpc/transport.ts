/**
 * @module
 * A Connect gRPC transport to one worker over its Unix socket, with its HTTP/2 session under our
 * control: the supervisor closes it before stopping the worker, because a graceful GOAWAY from a
 * grpcio server can crash Deno's node:http2 client.
 */
import { connect as netConnect } from "node:net";
import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { WorkerConnection } from "../../ports/worker_connection.ts";

/** Closing it closes the HTTP/2 session; calls in flight fail as Canceled/Unavailable. */
export type WorkerTransport = WorkerConnection<Transport>;

export function createWorkerTransport(socketPath: string): WorkerTransport {
  // The authority is only a label: every connection goes to the socket.
  const baseUrl = "http://worker.localhost";
  // No keepalive pings: the worker is a child process on a Unix socket, whose death the supervisor
  // sees at once, and grpcio answers frequent pings with GOAWAY ENHANCE_YOUR_CALM (too_many_pings).
  const sessionManager = new Http2SessionManager(
    baseUrl,
    { pingIntervalMs: Number.POSITIVE_INFINITY, idleConnectionTimeoutMs: 15 * 60_000 },
    { createConnection: () => netConnect(socketPath) },
  );
  const transport = createGrpcTransport({ baseUrl, sessionManager });
  return {
    transport,
    close: () => sessionManager.abort(),
  };
}
