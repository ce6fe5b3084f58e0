/**
 * The Hammerspoon Spoon's own Lua code, run under plain Lua with a stand-in for the `hs` API (HTTP
 * through curl, hotkeys and timers driven by the harness), against the real service on headless
 * audio devices: hold the hotkey while the person speaks, release, and the reply plays.
 */
import assert from "node:assert/strict";
import { headlessAudio, toS16 } from "./helpers/alsa.ts";
import { startServer } from "./helpers/server_process.ts";
import { runSpoon } from "./helpers/hammerspoon/run.ts";
import { startFakeLlm } from "./helpers/fake_llm.ts";
import { decodeWavMono } from "../src/audio/wav.ts";

async function speech(text: string): Promise<Float32Array> {
  const out = await new Deno.Command("sh", {
    args: [
      "-c",
      `espeak-ng -s 140 --stdout "${text}" | sox -t wav - -r 48000 -e float -b 32 -t raw -`,
    ],
    stdout: "piped",
  }).output();
  return new Float32Array(
    out.stdout.buffer.slice(0, out.stdout.byteLength - out.stdout.byteLength % 4),
  );
}

Deno.test("hammerspoon: the Spoon's hotkey drives a push-to-talk turn and its menu bar follows", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nobody-spoon-" });
  const llm = startFakeLlm();
  llm.reply({ text: "The kitchen lights are on now.", tokenDelayMs: 2 });
  try {
    const audio = await headlessAudio(dir, { clocked: true });
    const words = await speech("turn on the kitchen lights please");
    // The person speaks right after pressing; the file is the microphone, read in real time.
    const mic = new Float32Array(Math.round(48_000 * 0.3) + words.length + 48_000 * 3);
    mic.set(words, Math.round(48_000 * 0.3));
    await Deno.writeFile(audio.micFile, toS16(mic));
    const server = await startServer(`${dir}/data`, [], { ...audio.env, NOBODY_WORKERS: "true" });
    try {
      const persona = await (await fetch(`${server.url}/personas`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
        body: JSON.stringify({
          name: "Home",
          llm: { provider: "ollama", model: "m", baseUrl: llm.url },
        }),
      })).json();
      const holdSeconds = (0.3 + words.length / 48_000 + 0.3).toFixed(2);
      const result = await runSpoon("run_spoon", [holdSeconds], {
        NOBODY_DATA_DIR: `${dir}/data`,
        NOBODY_PERSONA_ID: persona.id,
      });

      assert.equal(result.hotkey, "ctrl+alt+space");
      assert.deepEqual(
        [result.connected, result.pressed, result.released, result.final],
        ["idle", "recording", "processing", "idle"],
      );
      // First the service proves it holds the token; only then is the token sent.
      assert.match(result.requests[0], /^GET \/auth\/challenge\?nonce=[0-9a-f]{32}$/);
      const id = /^POST \/sessions$/.test(result.requests[1]) &&
        /^POST \/sessions\/(session_\w+)\/start_recording$/.exec(result.requests[2])?.[1];
      assert.ok(id, `requests: ${result.requests}`);
      assert.equal(result.requests[3], `POST /sessions/${id}/stop_recording`);
      assert.ok(
        result.requests.slice(4, -1).every((r: string) => r === `GET /sessions/${id}`),
        "the state is polled while busy",
      );
      assert.equal(result.requests.at(-1), `DELETE /sessions/${id}`);
      assert.deepEqual(result.titles.slice(0, 3), ["⊘", "◯", "●"]);
      assert.ok(result.titles.includes("♪"), `titles: ${result.titles}`);
      assert.equal(result.titles.at(-1), "◯");
      assert.deepEqual(
        Object.keys(result.warnings),
        [],
        `warnings: ${JSON.stringify(result.warnings)}`,
      );

      // The turn reached the LLM with what was heard, and the session is gone.
      const messages = llm.requests.at(-1)?.body.messages as { role: string; content: string }[];
      assert.ok(
        messages.findLast((m) => m.role === "user")?.content.trim(),
        "a transcript went to the LLM",
      );
      const gone = await fetch(`${server.url}/sessions/${id}`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      assert.equal(gone.status, 404);
      await gone.body?.cancel();
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
    // The reply went to the speaker.
    const played = decodeWavMono(await Deno.readFile(audio.speakerFile));
    assert.ok(played.ok);
    const s = played.value.samples;
    let loud = 0;
    for (let i = 0; i + 480 <= s.length; i += 480) {
      let energy = 0;
      for (let j = i; j < i + 480; j++) energy += s[j] * s[j];
      if (Math.sqrt(energy / 480) > 0.01) loud++;
    }
    assert.ok(loud * 10 > 800, `${loud * 10} ms of speech reached the speaker`);
  } finally {
    await llm.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hammerspoon: with the service down the menu bar says offline and nothing is thrown", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/server.json`, JSON.stringify({ url: "http://127.0.0.1:9" }));
    await Deno.writeTextFile(`${dir}/token`, "x");
    const result = await runSpoon("run_spoon", ["0"], { NOBODY_DATA_DIR: dir });
    assert.equal(result.final, "offline");
    assert.deepEqual(result.titles, ["⊘"]);
    assert.match(
      result.warnings[0],
      /nobody is not reachable at http:\/\/127\.0\.0\.1:9/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Defect: the Spoon sent the token to whatever listened at server.json's address; after a crash
// another program may hold that port.
Deno.test("hammerspoon: a program on the port that cannot prove the token never receives it", async () => {
  const dir = await Deno.makeTempDir();
  const seen: { path: string; authorization: string | null }[] = [];
  const impostor = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    seen.push({
      path: new URL(request.url).pathname,
      authorization: request.headers.get("authorization"),
    });
    const body = new URL(request.url).pathname === "/auth/challenge"
      ? { proof: "0".repeat(64) }
      : { id: "session_aaaaaaaaaaaaaaaaaaaa", state: "idle" };
    return Response.json(body, {
      status: new URL(request.url).pathname === "/sessions" ? 201 : 200,
    });
  });
  try {
    const url = `http://127.0.0.1:${(impostor.addr as Deno.NetAddr).port}`;
    await Deno.writeTextFile(`${dir}/server.json`, JSON.stringify({ url }));
    await Deno.writeTextFile(`${dir}/token`, "the-real-token");
    const result = await runSpoon("run_spoon", ["0"], { NOBODY_DATA_DIR: dir });
    assert.ok(seen.length > 0, "the Spoon asked the program to prove itself");
    assert.ok(seen.every((r) => r.path === "/auth/challenge"), JSON.stringify(seen));
    assert.ok(seen.every((r) => r.authorization === null), "no token was sent");
    assert.equal(result.final, "offline");
    assert.match(result.warnings[0], /did not prove it is nobody; the token was not sent/);
  } finally {
    await impostor.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
