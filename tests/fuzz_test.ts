/**
 * Fuzzing for a bounded time: every REST endpoint with random methods, ids, bodies and headers,
 * and the session WebSocket with random JSON, random binary and commands in any order. Nothing
 * crashes, every refusal is a 4xx with the uniform error body, and the database and data dir are
 * intact afterwards.
 */
import assert from "node:assert/strict";
import { assertDatabaseIntact } from "./helpers/db_check.ts";
import { type Harness, multipart, withCore } from "./helpers/core_harness.ts";
import { rng } from "./helpers/fuzz.ts";
import { startServer } from "./helpers/server_process.ts";

const REQUESTS = 1_500;
const SPEECH = await Deno.readFile("/usr/share/sounds/alsa/Front_Center.wav");
const BUDGET_MS = 60_000;

const ROUTES = [
  "/voices",
  "/voices/{voice}",
  "/voices/{voice}/samples",
  "/voices/{voice}/samples/{sample}",
  "/voices/{voice}/samples/{sample}/audio",
  "/voices/{voice}/train",
  "/personas",
  "/personas/{persona}",
  "/training/{job}",
  "/sessions",
  "/sessions/{session}",
  "/sessions/{session}/{command}",
  "/status",
  "/status/llm",
  "/v1/audio/speech",
  "/v1/audio/transcriptions",
  "/events?session={session}",
  "/{anything}",
];
// Weighted: deletes are rare so that the objects made live long enough to be fuzzed.
const METHODS = ["GET", "GET", "GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
const NASTY_IDS = [
  "../../../etc/passwd",
  "..%2f..%2fnobody.db",
  "%00",
  "voice_" + "a".repeat(5_000),
  "voice_AAAAAAAAAAAAAAAAAAAA",
  "voice_aaaaaaaaaaaaaaaaaaa1",
  "null",
  "<script>alert(1)</script>",
  "日本",
  "",
];

/** Valid bodies by route, with ids left out (the fuzz changes one field of them). */
const VALID: Record<string, Record<string, unknown>> = {
  "/voices": { name: "Ada", description: "a voice" },
  "/personas": {
    name: "Guide",
    systemPrompt: "Be brief.",
    llm: { provider: "ollama", model: "m" },
  },
  "/voices/train": { consent: true },
  "/sessions": { audio: "socket", sample_rate: 48_000 },
  "/v1/audio/speech": { model: "m", input: "hello there", voice: "alloy", response_format: "pcm" },
};

Deno.test("fuzz: random REST requests get 2xx or a 4xx with the uniform error, and nothing is corrupted", () =>
  withCore(async (h: Harness) => {
    const r = rng();
    console.log(`fuzz seed ${r.seed} (replay with FUZZ_SEED=${r.seed})`);
    const known = {
      voice: [] as string[],
      sample: [] as string[],
      persona: [] as string[],
      job: [] as string[],
      session: [] as string[],
    };
    const id = (kind: keyof typeof known) =>
      r.next() < 0.85 && known[kind].length > 0
        ? r.pick(known[kind])
        : r.next() < 0.5
        ? `${kind}_${
          "abcdefghijklmnopqrst".split("").map(() =>
            r.pick([..."abcdefghijklmnopqrstuvwxyz234567"])
          ).join("")
        }`
        : r.pick(NASTY_IDS);
    // Real objects, so that random requests also reach them; remade when a DELETE removed them.
    const ensure = async () => {
      if (known.voice.length === 0) {
        const voice = await (await h.json("/voices", "POST", { name: `Fuzz ${r.int(1e9)}` }))
          .json();
        known.voice.push(voice.id);
        const sample = await (await h.request(`/voices/${voice.id}/samples`, {
          method: "POST",
          body: multipart("file", SPEECH, "a.wav"),
        })).json();
        known.sample.push(sample.id);
      }
      if (known.persona.length === 0) {
        const persona = await (await h.json("/personas", "POST", {
          ...VALID["/personas"],
          name: `Guide ${r.int(1e9)}`,
        })).json();
        known.persona.push(persona.id);
      }
      if (known.session.length === 0) {
        const session = await (await h.json("/sessions", "POST", {})).json();
        known.session.push(session.id);
      }
    };
    const started = Date.now();
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS && Date.now() - started < BUDGET_MS; i++) {
      if (i % 25 === 0) await ensure();
      const path = r.pick(ROUTES).replace(
        /\{(\w+)\}/g,
        (_, kind) =>
          kind === "command"
            ? r.pick(["start_recording", "stop_recording", "cancel", "explode", ""])
            : kind === "anything"
            ? encodeURIComponent(r.text(30))
            : encodeURIComponent(id(kind as keyof typeof known)),
      );
      const method = r.pick(METHODS);
      if (method === "DELETE") {
        // Forget what this may delete: later requests then make new ones.
        const deleted = /\/((voice|persona|session)_[a-z2-7]{20})$/.exec(path)?.[1];
        for (const list of Object.values(known)) {
          const at = list.indexOf(deleted ?? "");
          if (at >= 0) list.splice(at, 1);
        }
        if (deleted?.startsWith("voice_")) known.sample.length = 0;
      }
      const headers = new Headers();
      let body: BodyInit | undefined;
      if (method !== "GET" && method !== "OPTIONS") {
        switch (r.int(8)) {
          case 0:
            break;
          case 1:
            headers.set("content-type", "application/json");
            body = JSON.stringify(r.json());
            break;
          case 2:
            headers.set(
              "content-type",
              r.pick(["application/json", "text/plain", "application/x-www-form-urlencoded"]),
            );
            body = r.text(200);
            break;
          case 3:
            headers.set(
              "content-type",
              r.pick(["application/octet-stream", "audio/wav", "application/json"]),
            );
            body = r.bytes(r.int(5_000));
            break;
          case 4: {
            const magic = r.pick([
              "RIFF",
              "fLaC",
              "OggS",
              "ID3",
              "\u0000\u0000\u0000\u0018ftyp",
              "",
            ]);
            const file = new Uint8Array([
              ...new TextEncoder().encode(magic),
              ...r.bytes(r.int(3_000)),
            ]);
            body = multipart(
              r.pick(["file", "audio", ""]),
              file,
              r.pick(["a.wav", "../../x.wav", "", r.text(20)]),
            );
            break;
          }
          case 5: {
            // A valid body with one field changed: reaches the deeper validation.
            const template = VALID[
              path.split("?")[0].replace(/\/(voice|persona|sample|session|job)_[^/]*/g, "")
            ] ??
              VALID["/personas"];
            const fields = Object.keys(template);
            headers.set("content-type", "application/json");
            body = JSON.stringify({ ...template, [r.pick([...fields, r.text(6)])]: r.json(2) });
            break;
          }
          case 6:
            headers.set("content-type", "application/json");
            body = "{".repeat(r.pick([1, 1_000, 100_000]));
            break;
          default:
            headers.set("content-type", "application/json");
            body = JSON.stringify({ x: "y".repeat(r.pick([1_100_000, 2_000_000])) });
        }
      }
      const response = await h.request(path, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(30_000),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const context = `${method} ${path.slice(0, 120)} -> ${response.status}`;
      if (path.startsWith("/events") && response.ok) {
        await response.body?.cancel();
        continue;
      }
      const text = await response.text();
      assert.ok(response.status < 500, `${context} ${text}`);
      if (response.status >= 400) {
        const error = JSON.parse(text).error;
        assert.equal(typeof error.code, "string", context);
        assert.ok(error.message.length > 0, context);
      } else if (response.headers.get("content-type")?.includes("json") && text) {
        const value = JSON.parse(text);
        // Remember what was made, so later requests hit real ids too.
        for (const kind of Object.keys(known) as (keyof typeof known)[]) {
          if (typeof value?.id === "string" && value.id.startsWith(`${kind}_`)) {
            known[kind].push(value.id);
          }
        }
      }
    }
    console.log(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    assert.equal((await h.request("/status")).status, 200);
    assertDatabaseIntact(h.dataDir);
    assert.deepEqual(
      await h.core.voices.sweep(),
      { removed: [], quarantined: [] },
      "no file without its row",
    );
  }, { workers: true }));

Deno.test("fuzz: the session WebSocket survives random JSON, random binary and commands in any order", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(dir);
  try {
    const r = rng();
    console.log(`fuzz seed ${r.seed} (replay with FUZZ_SEED=${r.seed})`);
    const auth = { authorization: `Bearer ${server.token}`, "content-type": "application/json" };
    const session =
      await (await fetch(`${server.url}/sessions`, { method: "POST", headers: auth, body: "{}" }))
        .json();
    const socket = new WebSocket(
      `${server.url.replace("http", "ws")}/ws/session/${session.id}?token=${server.token}`,
    );
    socket.binaryType = "arraybuffer";
    const received: Record<string, unknown>[] = [];
    let closed = false;
    let wake = () => {};
    socket.onmessage = (e) => {
      if (typeof e.data === "string") received.push(JSON.parse(e.data));
      wake();
    };
    socket.onclose = () => {
      closed = true;
      wake();
    };
    await new Promise((resolve) => socket.onopen = resolve);
    const until = async (check: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!check()) {
        if (closed) throw new Error("the server closed the socket");
        if (Date.now() > deadline) throw new Error("no answer");
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
    };
    // The server greets with a hello on open; the fuzz starts after it.
    await until(() => received.some((m) => m.type === "hello"));
    const COMMANDS = [
      "hello",
      "start_recording",
      "stop_recording",
      "cancel",
      "set_persona",
      "set_voice",
      "explode",
    ];
    let sent = 0;
    // Frames that are wrong whatever the session's state: they must each get an error event.
    let mustFail = 0;
    for (let i = 0; i < 400; i++) {
      const kind = r.int(5);
      if (kind === 0) socket.send(JSON.stringify(r.json()));
      else if (kind === 1) {
        socket.send(JSON.stringify({ type: r.pick(COMMANDS), ...(r.json(1) as object) }));
      } else if (kind === 2) socket.send(JSON.stringify({ type: r.pick(COMMANDS) }));
      else if (kind === 3) {
        const size = r.pick([0, 1, 3, 4, 1_000, 96_000, 200_001, 1_000_000]);
        // Empty, not whole float32 samples, or over the frame limit.
        if (size === 0 || size % 4 !== 0 || size > 768_000) mustFail++;
        socket.send(r.bytes(size));
      } else {
        // Text that is no JSON object of a known command (or over 64 KiB).
        mustFail++;
        socket.send(r.text(r.pick([0, 10, 70_000])));
      }
      sent++;
    }
    // The session still answers, in order: an unknown command marked with a fresh word comes
    // back as an error event naming it.
    const marker = `probe_${r.int(1e9)}`;
    socket.send(JSON.stringify({ type: marker }));
    await until(() =>
      received.some((m) => m.type === "error" && String(m.message).includes(marker))
    );
    const errors = received.filter((m) => m.type === "error");
    assert.ok(
      errors.length >= mustFail + 1 && errors.length <= sent + 1,
      `${errors.length} error events for ${mustFail} frames that must fail, ${sent} in all`,
    );
    for (const e of errors) {
      assert.equal(typeof e.code, "string");
      assert.ok((e.message as string).length > 0);
    }
    socket.close();
    const status = await fetch(`${server.url}/status`, { headers: auth });
    assert.equal(status.status, 200, "the service is still up");
    await status.body?.cancel();
  } finally {
    await server.stop();
    assertDatabaseIntact(dir);
    await Deno.remove(dir, { recursive: true });
  }
});
