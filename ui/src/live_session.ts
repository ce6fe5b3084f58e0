/**
 * @module
 * A browser-side session: the service's session for this page's microphone, its WebSocket (hello
 * sent on open) and a level meter that moves ten times a second. The Talk and Dictate pages open
 * theirs here.
 */
import { sendJson } from "./api.ts";
import type { ClientMessage } from "./types.ts";
import type { Microphone } from "./audio/microphone.ts";
import { blockLevelDb } from "./components/level_meter.tsx";

export const command = (message: ClientMessage) => JSON.stringify(message);

/** Creates the session (closing the microphone if that fails) and connects its socket. */
export async function openSessionSocket(
  context: AudioContext,
  mic: Microphone,
  body: Record<string, unknown>,
  handlers: { onMessage: (data: string | ArrayBuffer) => void; onClose: () => void },
): Promise<{ id: string; socket: WebSocket }> {
  const session = await sendJson<{ id: string }>("/sessions", "POST", {
    audio: "socket",
    sample_rate: context.sampleRate,
    ...body,
  }).catch(async (e) => {
    await mic.close();
    await context.close();
    throw e;
  });
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/session/${session.id}`);
  socket.binaryType = "arraybuffer";
  socket.onopen = () => socket.send(command({ type: "hello", sample_rate: context.sampleRate }));
  socket.onmessage = (e) => handlers.onMessage(e.data);
  socket.onclose = handlers.onClose;
  return { id: session.id, socket };
}

/** Ends what openSessionSocket began: the socket, the audio, then the service's session. */
export async function closeSession(live: {
  readonly id: string;
  readonly socket: WebSocket;
  readonly context: AudioContext;
  readonly mic: Microphone;
  readonly speaker?: { close(): void };
}): Promise<void> {
  live.socket.close();
  await live.mic.close();
  live.speaker?.close();
  await live.context.close();
  await sendJson(`/sessions/${live.id}`, "DELETE").catch(() => {});
}

/** Reports a block's level at most every 100 ms: enough to see, cheap to draw. */
export function levelEvery100Ms(report: (db: number) => void): (block: Float32Array) => void {
  let at = 0;
  return (block) => {
    const now = performance.now();
    if (now - at < 100) return;
    at = now;
    report(blockLevelDb(block));
  };
}

/**
 * Push-to-talk on a live session's socket: press starts a turn, release ends it, each once
 * (a held key repeats, a pointer leaves the button). `enabled` says whether a key may start one.
 */
export function pushToTalk(
  live: { readonly current: { socket: WebSocket } | null },
  talking: { current: boolean },
  enabled: () => boolean = () => true,
): { press: () => void; release: () => void } {
  return {
    press: () => {
      const l = live.current;
      if (!l || talking.current || !enabled()) return;
      talking.current = true;
      l.socket.send(command({ type: "start_recording" }));
    },
    release: () => {
      const l = live.current;
      if (!l || !talking.current) return;
      talking.current = false;
      l.socket.send(command({ type: "stop_recording" }));
    },
  };
}
