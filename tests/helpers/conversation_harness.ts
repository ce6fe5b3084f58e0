/**
 * @module
 * A whole service in process on a real socket: real workers, a local LLM server speaking
 * Ollama's protocol, a persona using it, and a WebSocket client that records what it receives.
 */
import { type Core, createCore, createWorkers } from "../../main.ts";
import { concatSamples } from "../../src/audio/samples.ts";
import { ConsoleLogger } from "../../src/adapters/log/console_logger.ts";
import { testConfig } from "./core_harness.ts";
import { type FakeLlm, startFakeLlm } from "./fake_llm.ts";

export const PHRASES = ["turn on the kitchen lights", "play some music", "what time is it"];

export interface Conversation {
  readonly url: string;
  readonly token: string;
  readonly llm: FakeLlm;
  readonly personaId: string;
  /** The service's event bus, to publish what other parts of the service would. */
  readonly events: Core["events"];
  api(path: string, method?: string, body?: unknown): Promise<Response>;
  /** Speech for `text`, made by the TTS worker at `sampleRate`. */
  speech(text: string, sampleRate: number): Promise<Float32Array>;
  /** Speech for each piece of one utterance, as a session's reply synthesizes it. */
  speechPieces(texts: string[], sampleRate: number): Promise<Float32Array[]>;
  connect(sessionId: string): Promise<WsClient>;
  /** Creates a socket session with the persona and the test phrases at `sampleRate`, connected. */
  openSession(sampleRate: number): Promise<WsClient>;
}

export type Received = { kind: "event"; message: Record<string, unknown> } | {
  kind: "audio";
  samples: Float32Array;
};

export class WsClient {
  readonly socket: WebSocket;
  readonly received: Received[] = [];
  /** When each of `received` arrived (performance.now()), for latencies a test measures itself. */
  readonly arrivals: number[] = [];
  #waiters: (() => void)[] = [];

  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.binaryType = "arraybuffer";
    socket.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      this.arrivals.push(performance.now());
      this.received.push(
        typeof e.data === "string"
          ? { kind: "event", message: JSON.parse(e.data) }
          : { kind: "audio", samples: new Float32Array(e.data) },
      );
      for (const wake of this.#waiters.splice(0)) wake();
    };
  }

  events(type?: string): Record<string, unknown>[] {
    return this.received.flatMap((r) =>
      r.kind === "event" && (!type || r.message.type === type) ? [r.message] : []
    );
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  sendAudio(samples: Float32Array, frame: number): void {
    for (let i = 0; i < samples.length; i += frame) {
      this.socket.send(samples.slice(i, i + frame).buffer);
    }
  }

  /** Sends audio as a microphone delivers it: a 20 ms frame every 20 ms. Returns when it began. */
  async streamAtRealTime(samples: Float32Array, sampleRate: number): Promise<number> {
    const frame = Math.round(sampleRate / 50);
    const started = performance.now();
    for (let i = 0; i < samples.length; i += frame) {
      this.socket.send(samples.slice(i, i + frame).buffer);
      const due = started + (i + frame) / sampleRate * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    return started;
  }

  /** One push-to-talk turn: start, the speech in 20 ms frames, stop. Returns where it began. */
  speak(samples: Float32Array, sampleRate: number): number {
    const from = this.received.length;
    this.send({ type: "start_recording" });
    this.sendAudio(samples, Math.round(sampleRate / 50));
    this.send({ type: "stop_recording" });
    return from;
  }

  /** Resolves with the index of the first message after `from` that matches; rejects after `ms`. */
  async waitFor(
    predicate: (m: Record<string, unknown>) => boolean,
    options: { from?: number; ms?: number } = {},
  ): Promise<number> {
    const deadline = Date.now() + (options.ms ?? 30_000);
    while (true) {
      const index = this.received.findIndex((r, i) =>
        i >= (options.from ?? 0) && r.kind === "event" && predicate(r.message)
      );
      if (index >= 0) return index;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting; got ${JSON.stringify(this.events().map((e) => e.type))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The event at `index` of `received` (as waitFor returns it). */
  eventAt(index: number): Record<string, unknown> {
    const received = this.received[index];
    if (received?.kind !== "event") throw new Error(`received[${index}] is not an event`);
    return received.message;
  }

  audioAfter(index: number): number {
    return this.received.slice(index + 1).filter((r) => r.kind === "audio").length;
  }

  audio(): Float32Array {
    const parts = this.received.flatMap((r) => r.kind === "audio" ? [r.samples] : []);
    return concatSamples(parts);
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    const closed = new Promise<void>((resolve) =>
      this.socket.addEventListener("close", () => resolve())
    );
    this.socket.close();
    return closed;
  }
}

export async function withConversation(
  fn: (c: Conversation) => Promise<void>,
  options: { env?: Record<string, string> } = {},
): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-conv-" });
  const logger = new ConsoleLogger({ level: "error", write: () => {} });
  const config = testConfig(dataDir, options.env);
  const workers = await createWorkers(config, logger);
  const core = await createCore(config, logger, { workers });
  const llm = startFakeLlm();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, core.app.fetch);
  const url = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  const headers = { authorization: `Bearer ${core.token}`, "content-type": "application/json" };
  const api = (path: string, method = "GET", body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const persona = await (await api("/personas", "POST", {
    name: "Ada",
    systemPrompt: "You are Ada. Be brief.",
    llm: { provider: "ollama", model: "tiny", baseUrl: llm.url },
  })).json();
  const clients: WsClient[] = [];
  const conversation: Conversation = {
    url,
    token: core.token,
    llm,
    personaId: persona.id,
    events: core.events,
    api,
    speech: async (text, sampleRate) => {
      const parts: Float32Array[] = [];
      for await (const chunk of workers.tts.synthesize(text, { sampleRate })) {
        parts.push(chunk.samples);
      }
      return Float32Array.from(parts.flatMap((p) => [...p]));
    },
    speechPieces: async (texts, sampleRate) => {
      const stream = workers.tts.stream({ sampleRate });
      for (const text of texts) stream.pushText(text);
      stream.endInput();
      const pieces: number[][] = texts.map(() => []);
      for await (const chunk of stream.chunks) pieces[chunk.textIndex].push(...chunk.samples);
      return pieces.map((p) => Float32Array.from(p));
    },
    openSession: async (sampleRate) => {
      const response = await api("/sessions", "POST", {
        persona_id: persona.id,
        sample_rate: sampleRate,
        phrases: PHRASES,
      });
      return await conversation.connect((await response.json()).id);
    },
    connect: async (sessionId) => {
      const socket = new WebSocket(`${url.replace("http", "ws")}/ws/session/${sessionId}`, {
        headers: { authorization: `Bearer ${core.token}` },
      });
      const client = new WsClient(socket);
      clients.push(client);
      await client.waitFor((m) => m.type === "hello");
      return client;
    },
  };
  try {
    await fn(conversation);
  } finally {
    for (const client of clients) await client.close();
    await core.close();
    await server.shutdown();
    await workers.supervisor.stop();
    await llm.close();
    await Deno.remove(dataDir, { recursive: true });
  }
}
