import assert from "node:assert/strict";
import { expectError, multipart, readyVoice, withCore } from "./helpers/core_harness.ts";
import { distinctCopy, soxConvert, SPEECH_WAV } from "./helpers/fixtures.ts";

const speech = await Deno.readFile(SPEECH_WAV);

Deno.test("voices: create, list, get and delete over REST", () =>
  withCore(async (h) => {
    const created = await h.json("/voices", "POST", { name: "Ada", description: "my voice" });
    assert.equal(created.status, 201);
    const voice = await created.json();
    assert.match(voice.id, /^voice_[a-z2-7]{20}$/);
    assert.equal(created.headers.get("location"), `/voices/${voice.id}`);
    assert.deepEqual(
      { name: voice.name, status: voice.status, tier: voice.tier, sampleCount: voice.sample_count },
      { name: "Ada", status: "draft", tier: "insufficient", sampleCount: 0 },
    );

    const list = await (await h.request("/voices")).json();
    assert.deepEqual(list.voices.map((v: { id: string }) => v.id), [voice.id]);
    assert.equal((await (await h.request(`/voices/${voice.id}`)).json()).description, "my voice");

    assert.equal((await h.request(`/voices/${voice.id}`, { method: "DELETE" })).status, 204);
    await expectError(await h.request(`/voices/${voice.id}`), 404, "not_found");
    await expectError(
      await h.request(`/voices/${voice.id}`, { method: "DELETE" }),
      404,
      "not_found",
    );
  }));

Deno.test("voices: bad bodies and ids get clear 4xx errors", () =>
  withCore(async (h) => {
    await expectError(
      await h.request("/voices", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{",
      }),
      400,
      "invalid_json",
    );
    await expectError(
      await h.request("/voices", { method: "POST", body: "name=x" }),
      415,
      "unsupported_media_type",
    );
    const missing = await expectError(await h.json("/voices", "POST", {}), 400, "invalid_request");
    assert.match(missing.message, /"name"/);
    await expectError(
      await h.json("/voices", "POST", { name: "a", extra: 1 }),
      400,
      "invalid_request",
    );
    await expectError(await h.json("/voices", "POST", "Ada"), 400, "invalid_request");
    const big = await expectError(
      await h.request("/voices", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }),
      }),
      413,
      "payload_too_large",
    );
    assert.match(big.message, /1 MiB/);
    await h.json("/voices", "POST", { name: "Ada" });
    await expectError(await h.json("/voices", "POST", { name: " ada " }), 409, "conflict");
    await expectError(await h.request("/voices/..%2F..%2Fetc"), 400, "invalid_id");
    await expectError(await h.request("/voices/persona_aaaaaaaaaaaaaaaaaaaa"), 400, "invalid_id");
    await expectError(await h.request("/nope"), 404, "not_found");
    assert.equal(
      (await (await h.request("/voices")).json()).voices.length,
      1,
      "nothing else was stored",
    );
  }));

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("samples: the same file added twice is refused the second time, and says which", () =>
  withCore(async (h) => {
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    const upload = (name: string) =>
      h.request(`/voices/${voice.id}/samples`, {
        method: "POST",
        body: multipart("file", speech, name),
      });
    assert.equal((await upload("take1.wav")).status, 201);
    const twice = await expectError(await upload("take1 copy.wav"), 409, "conflict");
    assert.match(twice.message, /"take1 copy\.wav" is the same audio as sample "take1\.wav"/);
    const list = await (await h.request(`/voices/${voice.id}/samples`)).json();
    assert.equal(list.samples.length, 1);
    // Another voice may hold the same recording.
    const other = await (await h.json("/voices", "POST", { name: "Bea" })).json();
    const elsewhere = await h.request(`/voices/${other.id}/samples`, {
      method: "POST",
      body: multipart("file", speech, "take1.wav"),
    });
    assert.equal(elsewhere.status, 201);
  }));

Deno.test("voices: rename and redescribe with PATCH; a taken or empty name is refused", () =>
  withCore(async (h) => {
    const ada = await (await h.json("/voices", "POST", { name: "Ada", description: "mine" }))
      .json();
    await h.json("/voices", "POST", { name: "Bea" });
    const renamed = await h.json(`/voices/${ada.id}`, "PATCH", { name: "Ada Lovelace" });
    assert.equal(renamed.status, 200);
    const body = await renamed.json();
    assert.equal(body.name, "Ada Lovelace");
    assert.equal(body.description, "mine", "a field left out keeps its value");
    await expectError(await h.json(`/voices/${ada.id}`, "PATCH", { name: "bea" }), 409, "conflict");
    await expectError(
      await h.json(`/voices/${ada.id}`, "PATCH", { name: "" }),
      400,
      "invalid_request",
    );
    await expectError(
      await h.json(`/voices/${ada.id}`, "PATCH", { name: "x".repeat(300) }),
      400,
      "invalid_request",
    );
    await expectError(
      await h.json(`/voices/${ada.id}`, "PATCH", { status: "ready" }),
      400,
      "invalid_request",
    );
    assert.equal((await (await h.request(`/voices/${ada.id}`)).json()).name, "Ada Lovelace");
  }));

Deno.test("samples: upload real speech, read it back, and the tier follows the duration", () =>
  withCore(async (h) => {
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    const response = await h.request(`/voices/${voice.id}/samples`, {
      method: "POST",
      body: multipart("file", speech, "../../Front Center.wav"),
    });
    assert.equal(response.status, 201);
    const sample = await response.json();
    assert.deepEqual(
      { ...sample, id: undefined, created_at: undefined },
      {
        id: undefined,
        created_at: undefined,
        voice_id: voice.id,
        file_name: "Front Center.wav",
        format: "wav",
        sample_rate: 48_000,
        channels: 1,
        duration_ms: 1428,
        size_bytes: speech.length,
        // This core runs without workers: no analysis (tests/sample_analysis_test.ts has them).
        normalized_rate: null,
        quality: null,
        analysis_error:
          "the voice trainer could not analyze it: the ML workers are disabled (workers.enabled = false)",
        transcript: null,
        content_sha256: await sha256(speech),
      },
    );
    const audio = await h.request(`/voices/${voice.id}/samples/${sample.id}/audio`);
    assert.equal(audio.headers.get("content-type"), "audio/wav");
    assert.deepEqual(new Uint8Array(await audio.arrayBuffer()), speech);
    assert.deepEqual(
      await (await h.request(`/voices/${voice.id}/samples/${sample.id}`)).json(),
      sample,
    );

    // Seven more copies pass the 10 s mark for the Quick tier.
    for (let i = 0; i < 7; i++) {
      const r = await h.request(`/voices/${voice.id}/samples`, {
        method: "POST",
        body: multipart("file", distinctCopy(speech, i), "a.wav"),
      });
      assert.equal(r.status, 201);
    }
    const summary = await (await h.request(`/voices/${voice.id}`)).json();
    assert.deepEqual([summary.sample_count, summary.total_sample_ms, summary.tier], [
      8,
      8 * 1428,
      "quick",
    ]);
    const { samples } = await (await h.request(`/voices/${voice.id}/samples`)).json();
    assert.equal(samples.length, 8);

    assert.equal(
      (await h.request(`/voices/${voice.id}/samples/${sample.id}`, { method: "DELETE" })).status,
      204,
    );
    await expectError(
      await h.request(`/voices/${voice.id}/samples/${sample.id}/audio`),
      404,
      "not_found",
    );
    const files = [...Deno.readDirSync(`${h.dataDir}/voices/${voice.id}/samples`)].map((e) =>
      e.name
    );
    assert.equal(files.length, 7);
    assert.ok(!files.includes(`${sample.id}.wav`));
  }));

Deno.test("samples: FLAC is accepted; wrong, truncated, oversized and misaddressed uploads store nothing", () =>
  withCore(async (h) => {
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    const upload = (body: BodyInit, headers?: HeadersInit) =>
      h.request(`/voices/${voice.id}/samples`, { method: "POST", body, headers });

    const dir = await Deno.makeTempDir();
    try {
      const flac = await soxConvert(SPEECH_WAV, `${dir}/a.flac`);
      const ok = await upload(multipart("file", flac, "a.flac"));
      assert.equal(ok.status, 201);
      assert.equal((await ok.json()).format, "flac");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }

    await expectError(
      await upload(multipart("file", new TextEncoder().encode("not audio at all"), "x.wav")),
      415,
      "unsupported_media_type",
    );
    await expectError(
      await upload(multipart("file", speech.slice(0, 30), "cut.wav")),
      400,
      "invalid_request",
    );
    await expectError(await upload(multipart("audio", speech, "a.wav")), 400, "invalid_request");
    await expectError(
      await upload(speech, { "content-type": "audio/wav" }),
      415,
      "unsupported_media_type",
    );
    await expectError(
      await upload("--x\r\nbroken", { "content-type": "multipart/form-data; boundary=y" }),
      400,
      "invalid_request",
    );
    await expectError(
      await h.request(`/voices/voice_aaaaaaaaaaaaaaaaaaaa/samples`, {
        method: "POST",
        body: multipart("file", speech, "a.wav"),
      }),
      404,
      "not_found",
    );
    const { samples } = await (await h.request(`/voices/${voice.id}/samples`)).json();
    assert.equal(samples.length, 1, "only the FLAC was stored");
    const files = [...Deno.readDirSync(`${h.dataDir}/voices/${voice.id}/samples`)].map((e) =>
      e.name
    );
    assert.deepEqual(files, [`${samples[0].id}.flac`]);
  }));

Deno.test("samples: an upload over the configured limit is refused with 413", () =>
  withCore(async (h) => {
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    const tooBig = new Uint8Array(1024 * 1024 + 1);
    tooBig.set(speech.subarray(0, 44));
    const error = await expectError(
      await h.request(`/voices/${voice.id}/samples`, {
        method: "POST",
        body: multipart("file", tooBig, "big.wav"),
      }),
      413,
      "payload_too_large",
    );
    assert.match(error.message, /limit of 1 MiB/);
    assert.deepEqual((await (await h.request(`/voices/${voice.id}/samples`)).json()).samples, []);
  }, { env: { NOBODY_MAX_UPLOAD_MB: "1" } }));

Deno.test("voices: deleting a voice removes its rows and files and clears personas' voice", () =>
  withCore(async (h) => {
    const voice = await readyVoice(h, "Ada");
    await h.request(`/voices/${voice.id}/samples`, {
      method: "POST",
      body: multipart("file", speech, "a.wav"),
    });
    const persona = await (await h.json("/personas", "POST", {
      name: "Bob",
      llm: { provider: "ollama", model: "llama3.2" },
      voiceId: voice.id,
    })).json();
    assert.ok(Deno.statSync(`${h.dataDir}/voices/${voice.id}`).isDirectory);
    assert.equal((await h.request(`/voices/${voice.id}`, { method: "DELETE" })).status, 204);
    assert.throws(() => Deno.statSync(`${h.dataDir}/voices/${voice.id}`), Deno.errors.NotFound);
    assert.equal((await (await h.request(`/personas/${persona.id}`)).json()).voice_id, null);
    const status = await (await h.request("/status")).json();
    assert.deepEqual(status.counts, { voices: 0, samples: 0, personas: 1 });
  }));
