/**
 * @module
 * The end of a session's current turn, read from the event bus: what `stop_recording?wait=true`
 * answers with, so a hotkey tool gets a dictation's text (or the reply) from one request.
 */
import type { ErrorCode } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import type { EventBus } from "../app/event_bus.ts";
import { isSessionEvent } from "./session_wire.ts";

/** A turn ends within this, or the wait says so (the turn's own deadlines are shorter). */
const WAIT_MS = 180_000;

export type TurnOutcome =
  | { readonly type: "dictation"; readonly text: string; readonly raw: string }
  | { readonly type: "reply"; readonly text: string }
  | { readonly type: "no_speech" }
  | { readonly type: "error"; readonly code: ErrorCode; readonly message: string };

export function waitForTurnEnd(
  events: EventBus<DomainEvent>,
  sessionId: string,
  signal: AbortSignal,
): { outcome: Promise<TurnOutcome>; cancel(): void } {
  const listening = new AbortController();
  let settle: (outcome: TurnOutcome) => void = () => {};
  const outcome = new Promise<TurnOutcome>((resolve) => {
    const timer = setTimeout(() =>
      settle({
        type: "error",
        code: "unavailable",
        message: `the turn did not end within ${WAIT_MS / 1000} s`,
      }), WAIT_MS);
    settle = (value) => {
      clearTimeout(timer);
      listening.abort();
      signal.removeEventListener("abort", gone);
      resolve(value);
    };
  });
  const gone = () => settle({ type: "error", code: "invalid_request", message: "the client left" });
  signal.addEventListener("abort", gone, { once: true });
  let reply = "";
  events.subscribe((event) => {
    if (!isSessionEvent(event) || event.sessionId !== sessionId) return;
    switch (event.type) {
      case "dictation":
        return settle({ type: "dictation", text: event.text, raw: event.raw });
      case "llm_response":
        reply += event.text;
        return;
      case "no_speech":
        return settle({ type: "no_speech" });
      case "error":
        return settle({ type: "error", code: event.code, message: event.message });
      case "state_changed":
        // Any return to idle after the stop ends the turn (a dictation, no speech or a failure
        // said so first); an empty reply is still a reply.
        if (event.to === "idle") settle({ type: "reply", text: reply });
        return;
    }
  }, { signal: listening.signal });
  return { outcome, cancel: gone };
}
