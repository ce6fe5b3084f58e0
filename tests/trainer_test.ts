/**
 * The trainer worker through its Connect client: a voice trained from samples streams progress,
 * writes the profile the TTS worker loads by voice id, and training can be cancelled.
 */
import assert from "node:assert/strict";
import { collect, withWorkers } from "./helpers/workers_harness.ts";
import { SPEECH_WAV } from "./helpers/fixtures.ts";

const VOICE = "voice_trainedvoicetestaaaa";

Deno.test("trainer: training streams progress and the TTS worker then speaks in the trained voice", () =>
  withWorkers(async (h) => {
    assert.match(VOICE, /^voice_[a-z2-7]{20}$/);
    const voiceDir = `${h.dataDir}/voices/${VOICE}`;
    await assert.rejects(collect(h.tts.synthesize("hello", { voiceId: VOICE })), {
      code: "not_found",
    });

    const clips = [...Deno.readDirSync("/usr/share/sounds/alsa")]
      .filter((e) => e.name.endsWith(".wav") && e.name !== "Noise.wav")
      .map((e) => `/usr/share/sounds/alsa/${e.name}`);
    const updates = [];
    for await (
      const update of h.trainer.train({
        jobId: "job_aaaaaaaaaaaaaaaaaaaa",
        voiceId: VOICE,
        samplePaths: clips,
        outputDir: voiceDir,
      })
    ) {
      updates.push(update);
    }
    const stages = [...new Set(updates.map((u) => u.stage))];
    assert.deepEqual(stages, ["loading", "analyzing", "fitting", "writing", "done"]);
    const percents = updates.map((u) => u.percent);
    assert.deepEqual(percents, [...percents].sort((a, b) => a - b), "progress only moves forward");
    const last = updates.at(-1)!;
    assert.equal(last.percent, 100);
    assert.equal(last.artifactPath, `${voiceDir}/espeak_profile.json`);
    const profile = JSON.parse(await Deno.readTextFile(last.artifactPath!));
    assert.ok(
      profile.measured.median_f0 > 120 && profile.measured.median_f0 < 300,
      JSON.stringify(profile),
    );

    const trained = await collect(h.tts.synthesize("hello there", { voiceId: VOICE }));
    const plain = await collect(h.tts.synthesize("hello there"));
    assert.ok(trained.length > 0);
    assert.notDeepEqual(trained, plain, "the trained voice sounds different from the default");
  }));

Deno.test("trainer: bad requests are clear errors and cancelling stops a training", () =>
  withWorkers(async (h) => {
    await assert.rejects(
      collect(
        h.trainer.train({
          jobId: "j",
          voiceId: VOICE,
          samplePaths: ["/nonexistent/a.wav"],
          outputDir: `${h.dataDir}/x`,
        }) as never,
      ),
      { code: "not_found", message: /sample files are missing: a\.wav/ },
    );
    await assert.rejects(
      collect(
        h.trainer.train({
          jobId: "j",
          voiceId: "../x",
          samplePaths: [SPEECH_WAV],
          outputDir: `${h.dataDir}/x`,
        }) as never,
      ),
      { code: "invalid_request", message: /is not a voice id/ },
    );
    const silence = `${h.dataDir}/silence.wav`;
    const { encodeWav16 } = await import("../src/audio/wav.ts");
    await Deno.writeFile(silence, encodeWav16(new Float32Array(16_000), 16_000));
    await assert.rejects(
      collect(
        h.trainer.train({
          jobId: "j",
          voiceId: VOICE,
          samplePaths: [silence],
          outputDir: `${h.dataDir}/x`,
        }) as never,
      ),
      { code: "invalid_request", message: /too little voiced speech/ },
    );

    const controller = new AbortController();
    const reason = new Error("cancelled by the user");
    await assert.rejects(
      (async () => {
        for await (
          const update of h.trainer.train(
            {
              jobId: "j",
              voiceId: VOICE,
              samplePaths: [SPEECH_WAV],
              outputDir: `${h.dataDir}/voices/${VOICE}`,
            },
            { signal: controller.signal },
          )
        ) {
          if (update.stage === "fitting") controller.abort(reason);
        }
      })(),
      (error) => error === reason,
    );
    assert.ok((await collect(h.tts.synthesize("still working"))).length > 0);
  }));
