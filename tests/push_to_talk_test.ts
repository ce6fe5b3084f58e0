/**
 * Push-to-talk over HTTP through the local microphone and speaker, as Hammerspoon drives it: the
 * real service process on headless clocked ALSA devices, commands over REST, events over SSE.
 */
import assert from "node:assert/strict";
import { headlessAudio, toS16 } from "./helpers/alsa.ts";
import { startServer } from "./helpers/server_process.ts";
import { startFakeLlm } from "./helpers/fake_llm.ts";
import { decodeWavMono } from "../src/audio/wav.ts";

const PHRASES = ["turn on the kitchen lights", "play some music"];

async function speech(text: string): Promise<Float32Array> {
  // espeak-ng speech at the microphone's 48 kHz, resampled by sox.
  const out = await new Deno.Command("sh", {
    args: ["-c", `espeak-ng --stdout "${text}" | sox -t wav - -r 48000 -e float -b 32 -t raw -`],
    stdout: "piped",
  }).output();
  return new Float32Array(
    out.stdout.buffer.slice(0, out.stdout.byteLength - out.stdout.byteLength % 4),
  );
}

/** Reads server-sent events into a list, waking waiters on each. */
function follow(url: string, token: string) {
  const events: Record<string, unknown>[] = [];
  const controller = new AbortController();
  let wake = () => {};
  const done = (async () => {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        const blocks = buffer.split("\n\n");
        buffer = blocks.pop()!;
        for (const block of blocks) {
          const data = block.split("\n").find((l) => l.startsWith("data:"));
          if (data) events.push(JSON.parse(data.slice(5)));
        }
        wake();
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  return {
    events,
    async until(predicate: (e: Record<string, unknown>) => boolean, ms = 30_000) {
      const deadline = Date.now() + ms;
      while (!events.some(predicate)) {
        if (Date.now() > deadline) {
          throw new Error(`no such event; got ${events.map((e) => e.type).join(", ")}`);
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 200);
        });
      }
    },
    async close() {
      controller.abort();
      await done;
    },
  };
}

Deno.test("push-to-talk: HTTP commands drive a turn through the local microphone and speaker", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nobody-ptt-" });
  const llm = startFakeLlm();
  llm.reply({ text: "The kitchen lights are on now.", tokenDelayMs: 2 });
  try {
    const audio = await headlessAudio(dir, { clocked: true });
    // The person starts speaking 150 ms after the session is armed and presses the key late:
    // the pre-roll must still catch the first word.
    const words = await speech("turn on the kitchen lights");
    const mic = new Float32Array(Math.round(48_000 * 0.15) + words.length + 48_000 * 2);
    mic.set(words, Math.round(48_000 * 0.15));
    await Deno.writeFile(audio.micFile, toS16(mic));
    const server = await startServer(`${dir}/data`, [], { ...audio.env, NOBODY_WORKERS: "true" });
    const auth = { authorization: `Bearer ${server.token}`, "content-type": "application/json" };
    const api = (path: string, method = "GET", body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: auth,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    try {
      const persona = await (await api("/personas", "POST", {
        name: "Ada",
        llm: { provider: "ollama", model: "m", baseUrl: llm.url },
      })).json();
      const created = await api("/sessions", "POST", {
        persona_id: persona.id,
        audio: "device",
        phrases: PHRASES,
      });
      assert.equal(created.status, 201);
      const session = await created.json();
      assert.equal(session.audio, "device");
      const second = await api("/sessions", "POST", { audio: "device" });
      assert.equal(second.status, 409, "one session owns the microphone");
      await second.body?.cancel();

      const sse = follow(`${server.url}/events?session=${session.id}`, server.token);
      await new Promise((resolve) => setTimeout(resolve, 400)); // the key press comes late on purpose
      const start = await api(`/sessions/${session.id}/start_recording`, "POST");
      assert.equal((await start.json()).state, "recording");
      await sse.until((e) => e.type === "transcription" && e.text === PHRASES[0]);
      const stop = await api(`/sessions/${session.id}/stop_recording`, "POST");
      assert.equal((await stop.json()).state, "processing");
      await sse.until((e) => e.type === "playback_complete");

      const finals = sse.events.filter((e) => e.type === "transcription" && e.is_final);
      assert.deepEqual(
        finals.map((e) => e.text),
        [PHRASES[0]],
        "the first word survived the late key press",
      );
      assert.deepEqual(
        sse.events.filter((e) => e.type !== "ping" && e.session_id !== session.id),
        [],
        "only this session's events",
      );
      // The speaker closes after the reply: an idle session holds no output stream. Before, the
      // stream stayed open and the device file grew by 96 kB of silence every second.
      let size = -1;
      let stableSince = Date.now();
      const deadline = Date.now() + 15_000;
      while (Date.now() - stableSince < 2_500) {
        if (Date.now() > deadline) throw new Error("the idle speaker kept playing silence");
        const now = (await Deno.stat(audio.speakerFile)).size;
        if (now !== size) [size, stableSince] = [now, Date.now()];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const again = await api(`/sessions/${session.id}/stop_recording`, "POST");
      assert.equal(again.status, 409);
      assert.equal((await again.json()).error.code, "invalid_transition");
      await sse.close();
      assert.equal((await api(`/sessions/${session.id}`, "DELETE")).status, 204);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
    // The reply went to the speaker: real speech, not silence.
    const played = decodeWavMono(await Deno.readFile(audio.speakerFile));
    assert.ok(played.ok);
    const samples = played.value.samples;
    let loud = 0;
    for (let i = 0; i < samples.length; i += 480) {
      let energy = 0;
      for (let j = i; j < Math.min(i + 480, samples.length); j++) energy += samples[j] * samples[j];
      if (Math.sqrt(energy / 480) > 0.01) loud++;
    }
    assert.ok(loud * 10 > 800, `${loud * 10} ms of speech reached the speaker`);
  } finally {
    await llm.close();
    await Deno.remove(dir, { recursive: true });
  }
});
