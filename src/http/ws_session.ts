/**
 * @module
 * WS /ws/session/{id}: JSON commands and binary audio in, JSON events and binary audio out.
 * Bad input (malformed JSON, unknown commands, odd-length or oversized frames, audio while not
 * recording) gets an `error` event and the session carries on.
 */
import type { Context } from "hono";
import { NobodyError } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import { parseId } from "../domain/ids.ts";
import { unwrap } from "../domain/result.ts";
import { parseClientMessage, type ServerMessage } from "../domain/session_messages.ts";
import type { EventBus } from "../app/event_bus.ts";
import type { SessionManager } from "../app/session_manager.ts";
import { isSessionEvent, isTrainingEvent, toWire, trainingWire } from "./session_wire.ts";
import { SocketSink } from "./socket_sink.ts";
import { toWireCase } from "./wire_case.ts";

/** One second of 192 kHz float32 audio; clients send 10-100 ms frames. */
export const MAX_AUDIO_FRAME_BYTES = 192_000 * 4;
export const MAX_TEXT_FRAME_BYTES = 64 * 1024;
/** The close code of a socket whose session was deleted (4000-4999 are the application's). */
export const SESSION_CLOSED_CODE = 4000;

export function sessionSocket(deps: { sessions: SessionManager; events: EventBus<DomainEvent> }) {
  return (c: Context): Response => {
    const id = unwrap(parseId("session", c.req.param("id")));
    const session = deps.sessions.get(id);
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new NobodyError(
        "invalid_request",
        "this endpoint speaks WebSocket; connect with a WebSocket client",
      );
    }
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw);
    socket.binaryType = "arraybuffer";
    const send = (message: ServerMessage) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(toWireCase(message)));
    };
    const error = (code: string, message: string) => send({ type: "error", code, message });
    let detach = () => {};
    /** Every client of a socket session hears the replies, at its own declared rate. */
    const attach = () => {
      detach();
      if (session.summary().audio === "socket") {
        detach = session.attachSocket(new SocketSink(socket, session.summary().sampleRate));
      }
    };
    const hello = () => {
      const s = session.summary();
      send({
        type: "hello",
        session_id: id,
        state: s.state,
        sample_rate: s.sampleRate,
        audio: s.audio,
      });
    };
    let unsubscribe = () => {};
    const release = deps.sessions.hold(id);
    // Deleting the session ends its sockets, saying why.
    const onSessionClosed = () => {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(SESSION_CLOSED_CODE, "the session was deleted");
      }
    };
    session.closedSignal.addEventListener("abort", onSessionClosed, { once: true });

    socket.onopen = () => {
      attach();
      unsubscribe = deps.events.subscribe((event) => {
        if (isSessionEvent(event) && event.sessionId === id) send(toWire(event));
        else if (isTrainingEvent(event)) send(trainingWire(event));
      });
      hello();
    };

    const onMessage = (event: MessageEvent<string | ArrayBuffer>) => {
      if (typeof event.data === "string") {
        if (event.data.length > MAX_TEXT_FRAME_BYTES) {
          return error("payload_too_large", "text messages are limited to 64 KiB");
        }
        let json: unknown;
        try {
          json = JSON.parse(event.data);
        } catch {
          return error("invalid_json", "the message is not valid JSON");
        }
        const parsed = parseClientMessage(json);
        if (!parsed.ok) return error(parsed.error.code, parsed.error.message);
        const result = session.handle(parsed.value);
        if (!result.ok) return error(result.error.code, result.error.message);
        if (parsed.value.type === "hello") {
          attach();
          hello(); // the effective settings, as the server applied them
        }
        return;
      }
      const bytes = event.data.byteLength;
      if (bytes > MAX_AUDIO_FRAME_BYTES) {
        return error(
          "payload_too_large",
          `audio frames are limited to ${MAX_AUDIO_FRAME_BYTES} bytes`,
        );
      }
      if (bytes === 0 || bytes % 4 !== 0) {
        return error(
          "invalid_request",
          `binary frames must be one or more whole float32 samples (${bytes} bytes)`,
        );
      }
      const samples = new Float32Array(event.data);
      if (!samples.every(Number.isFinite)) {
        return error(
          "invalid_request",
          "audio samples must be finite numbers (no NaN or Infinity)",
        );
      }
      const result = session.pushAudio(samples);
      if (!result.ok) error(result.error.code, result.error.message);
    };
    // A message that throws (a bug, or input nothing foresaw) is answered, never fatal.
    socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => {
      try {
        onMessage(event);
      } catch (cause) {
        error("internal", `the message could not be handled: ${String(cause)}`);
      }
    };

    socket.onclose = () => {
      session.closedSignal.removeEventListener("abort", onSessionClosed);
      release();
      unsubscribe();
      detach();
      // Nobody is left to hear the turn: drop it.
      if (session.summary().audio === "socket" && session.socketCount === 0) {
        if (session.state !== "idle") session.handle({ type: "cancel" });
      }
    };
    return response;
  };
}
