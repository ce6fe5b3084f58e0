/**
 * @module
 * Server-sent events from an LLM provider's streamed reply, parsed by `eventsource-parser`
 * (spec-complete: multi-line data, comments, ids, CRLF), on top of {@linkcode lines}' eager
 * draining and typed failures.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { NobodyError } from "../../domain/errors.ts";
import { lines, type ReplyStream } from "./http_stream.ts";

/** One event's data may not grow past this: a provider that never ends an event is refused. */
const MAX_EVENT_BYTES = 1 << 20;

export type SseEvent = EventSourceMessage;

export async function* sseEvents(
  stream: ReplyStream,
  options: { provider: string; signal?: AbortSignal },
): AsyncIterable<SseEvent> {
  const ready: SseEvent[] = [];
  let failure: Error | null = null;
  const parser = createParser({
    maxBufferSize: MAX_EVENT_BYTES,
    onEvent: (event) => ready.push(event),
    onError: (error) => failure ??= error,
  });
  for await (const line of lines(stream, options)) {
    parser.feed(`${line}\n`);
    if (failure) {
      throw new NobodyError(
        "unavailable",
        `${options.provider} sent a malformed event stream: ${(failure as Error).message}`,
      );
    }
    while (ready.length) yield ready.shift()!;
  }
}
