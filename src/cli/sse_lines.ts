/**
 * @module
 * The JSON data of the service's own /events stream, one event at a time (pings skipped), for
 * the CLI commands that follow it. The service writes one `data:` line per event.
 */

export async function* sseEvents(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<Record<string, unknown>> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", cancel, { once: true });
  let buffer = "";
  try {
    while (true) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: "" }));
      if (done) return;
      buffer += value.replaceAll("\r\n", "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split("\n").find((l) => l.startsWith("data:"))?.slice(5).trim();
        if (!data) continue;
        try {
          const event = JSON.parse(data);
          if (event?.type !== "ping") yield event;
        } catch { /* not JSON: not the service's */ }
      }
    }
  } finally {
    signal?.removeEventListener("abort", cancel);
    cancel();
  }
}
