/**
 * @module
 * Sessions over HTTP, for push-to-talk from a hotkey tool (Hammerspoon): create a session bound
 * to the local microphone and speaker, start/stop/cancel recording, and follow it on GET /events.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { DomainEvent } from "../../domain/events.ts";
import { parseId } from "../../domain/ids.ts";
import { unwrap } from "../../domain/result.ts";
import { parseSessionInput } from "../../domain/session_input.ts";
import { parseClientMessage, type ServerMessage } from "../../domain/session_messages.ts";
import { waitForTurnEnd } from "../turn_end.ts";
import type { EventBus } from "../../app/event_bus.ts";
import type { SessionManager } from "../../app/session_manager.ts";
import { delay } from "../../lib/delay.ts";
import { readOptionalApiJson } from "../body.ts";
import { toWireCase } from "../wire_case.ts";
import { errorResponse } from "../errors.ts";
import { isSessionEvent, isTrainingEvent, toWire, trainingWire } from "../session_wire.ts";

const COMMANDS = ["start_recording", "stop_recording", "cancel"] as const;
/** Events waiting for one /events subscriber; a dashboard reading at all keeps far fewer. */
const MAX_QUEUED_EVENTS = 1_000;

export function sessionRoutes(
  deps: { sessions: SessionManager; events: EventBus<DomainEvent> },
): Hono {
  const app = new Hono();
  const sessionId = (raw: string) => unwrap(parseId("session", raw));

  app.post("/", async (c) => {
    const input = unwrap(parseSessionInput(await readOptionalApiJson(c.req.raw)));
    const session = await deps.sessions.create(input);
    return c.json(session.summary(), 201, { Location: `/sessions/${session.id}` });
  });

  app.get("/", (c) => c.json({ sessions: deps.sessions.list() }));

  app.get("/:id", (c) => c.json(deps.sessions.get(sessionId(c.req.param("id"))).summary()));

  app.delete("/:id", async (c) => {
    await deps.sessions.delete(sessionId(c.req.param("id")));
    return c.body(null, 204);
  });

  app.post("/:id/:command", async (c) => {
    const session = deps.sessions.get(sessionId(c.req.param("id")));
    const command = c.req.param("command");
    if (!(COMMANDS as readonly string[]).includes(command)) {
      return errorResponse({
        code: "not_found",
        message: `no command "${command}" (commands: ${COMMANDS.join(", ")})`,
      });
    }
    // start_recording may name the turn's mode: {"mode": "dictation"}.
    const body = await readOptionalApiJson(c.req.raw) as Record<string, unknown>;
    const message = unwrap(parseClientMessage({ ...body, type: command }));
    // ?wait=true on stop_recording answers with the turn's result (a dictation's text), so a
    // hotkey tool needs one request, not an event stream.
    const wait = command === "stop_recording" && c.req.query("wait") === "true";
    const waiting = wait ? waitForTurnEnd(deps.events, session.id, c.req.raw.signal) : null;
    const result = session.handle(message);
    if (!result.ok) {
      waiting?.cancel();
      return errorResponse(result.error);
    }
    if (!waiting) return c.json(session.summary());
    const outcome = await waiting.outcome;
    if (outcome.type === "error") return errorResponse(outcome);
    return c.json({ ...session.summary(), result: outcome });
  });

  return app;
}

/** A session error is `session_error` on SSE, where EventSource reserves `error` for itself. */
function sseName(message: ServerMessage): ServerMessage {
  if (message.type !== "error") return message;
  return { ...message, type: "session_error", turn: message.turn ?? 0 };
}

/** GET /events: every domain event as server-sent events; `?session=` keeps one session's. */
export function eventRoutes(deps: { events: EventBus<DomainEvent> }): Hono {
  const app = new Hono();
  app.get("/", (c) => {
    const only = c.req.query("session");
    if (only !== undefined) unwrap(parseId("session", only));
    return streamSSE(c, async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => abort.abort());
      // Events queue for a subscriber that reads slowly; past the bound it is disconnected (it
      // may reconnect and miss events) rather than making the service hold them all.
      let queued = 0;
      const unsubscribe = deps.events.subscribe((event) => {
        if (only !== undefined && (!isSessionEvent(event) || event.sessionId !== only)) return;
        if (queued >= MAX_QUEUED_EVENTS) {
          stream.abort(); // drops what is queued and closes the response
          return abort.abort();
        }
        const data = isSessionEvent(event)
          ? { session_id: event.sessionId, ...sseName(toWire(event)) }
          : isTrainingEvent(event)
          ? trainingWire(event)
          : event;
        queued++;
        stream.writeSSE({ event: data.type, data: JSON.stringify(toWireCase(data)) })
          .catch(() => abort.abort())
          .finally(() => queued--);
      }, { signal: abort.signal });
      try {
        // A ping every 15 s keeps idle timers from closing a quiet stream.
        while (!abort.signal.aborted) {
          await stream.writeSSE({ event: "ping", data: `{"type":"ping"}` });
          await delay(15_000, { signal: abort.signal }).catch(() => {});
        }
      } finally {
        unsubscribe();
      }
    });
  });
  return app;
}
