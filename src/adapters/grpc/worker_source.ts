/**
 * @module
 * What the gRPC clients share: their worker source (a supervisor of Connect transports), audio
 * bytes on the wire, and linked abort signals.
 */
import type { Transport } from "@connectrpc/connect";
import type { WorkerSource as Source } from "../../ports/worker_connection.ts";

export type WorkerSource = Source<Transport>;

/** Float32 samples as the f32le bytes of the wire (all supported platforms are little-endian). */
export function f32Bytes(samples: Float32Array): Uint8Array {
  return new Uint8Array(
    samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength),
  );
}

/** The wire's f32le bytes as samples; copies, since a protobuf field need not be 4-byte aligned. */
export function bytesF32(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new RangeError(`audio of ${bytes.byteLength} bytes is not float32`);
  }
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
}

/** Aborts `controller` when `parent` aborts; returns the function that unlinks them. */
export function linkSignal(
  parent: AbortSignal | undefined,
  controller: AbortController,
): () => void {
  if (!parent) return () => {};
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener("abort", onAbort, { once: true });
  return () => parent.removeEventListener("abort", onAbort);
}
