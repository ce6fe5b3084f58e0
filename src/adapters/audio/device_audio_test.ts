/**
 * The real device path through PortAudio (ALSA file devices paced by a real-time clock plugin):
 * PortAudio -> audio Worker -> SAB ring -> main thread, and back.
 */
import assert from "node:assert/strict";
import { DeviceAudio } from "./device_audio.ts";
import { listDevices } from "./list_devices.ts";
import { decodeWavMono } from "../../audio/wav.ts";
import {
  headlessAudio,
  maxErrorAligned,
  onset,
  testTone,
  toS16,
  useInProcess,
} from "../../../tests/helpers/alsa.ts";

const LIBRARY = Deno.build.os === "darwin" ? "libportaudio.dylib" : "libportaudio.so.2";
const RATE = 48_000;

async function withAudio(
  fn: (dir: string, audio: Awaited<ReturnType<typeof headlessAudio>>) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "nobody-audio-" });
  let restore = () => {};
  try {
    const audio = await headlessAudio(dir, { clocked: true });
    restore = useInProcess(audio);
    await fn(dir, audio);
  } finally {
    restore();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("listDevices() enumerates the ALSA devices through PortAudio", () =>
  withAudio(async () => {
    const devices = await listDevices(LIBRARY);
    const names = devices.map((d) => d.name);
    assert.ok(names.includes("default"), names.join(", "));
    const def = devices.find((d) => d.name === "default")!;
    assert.equal(def.hostApi, "ALSA");
    assert.ok(def.maxInputChannels >= 1 && def.maxOutputChannels >= 1);
    assert.equal(def.defaultSampleRate, RATE);
  }));

Deno.test("DeviceAudio captures a tone from the microphone intact", () =>
  withAudio(async (_dir, audio) => {
    const tone = testTone({ sampleRate: RATE, ms: 600, silenceMs: 50 });
    await Deno.writeFile(audio.micFile, toS16(tone));
    const device = await DeviceAudio.open({
      library: LIBRARY,
      capture: { sampleRate: RATE, framesPerBuffer: 480 },
    });
    const captured = new Float32Array(tone.length + RATE / 5);
    let at = 0;
    const controller = new AbortController();
    for await (const frame of device.capture!.frames({ signal: controller.signal })) {
      captured.set(frame.subarray(0, Math.min(frame.length, captured.length - at)), at);
      at += frame.length;
      if (at >= captured.length) controller.abort();
    }
    const stats = await device.close();
    const { error, compared } = maxErrorAligned(tone, captured);
    assert.equal(compared, tone.length - onset(tone), "the whole tone arrived");
    assert.equal(error, 0, "bit-exact");
    assert.equal(onset(captured), onset(tone), "nothing was lost before the onset");
    assert.equal(stats.capture!.overrunSamples, 0);
    assert.equal(stats.capture!.deviceXruns, 0);
  }));

Deno.test("DeviceAudio plays a tone into the speaker file intact", () =>
  withAudio(async (_dir, audio) => {
    const tone = testTone({ sampleRate: RATE, ms: 500, silenceMs: 20, hz: 523 });
    const device = await DeviceAudio.open({
      library: LIBRARY,
      playback: { sampleRate: RATE, framesPerBuffer: 480 },
    });
    for (let i = 0; i < tone.length; i += 960) {
      await device.playback!.write(tone.subarray(i, i + 960));
    }
    await device.playback!.drain();
    const stats = await device.close();
    const played = decodeWavMono(await Deno.readFile(audio.speakerFile));
    assert.ok(played.ok);
    assert.equal(played.value.sampleRate, RATE);
    const { error, compared } = maxErrorAligned(tone, played.value.samples);
    assert.equal(compared, tone.length - onset(tone), "the whole tone was played");
    assert.ok(error <= 1 / 32768, `max error ${error}`);
    assert.equal(stats.playback!.underrunSamples, 0);
  }));

Deno.test("DeviceAudio flush drops queued audio so none of it is heard afterwards", () =>
  withAudio(async (_dir, audio) => {
    const device = await DeviceAudio.open({
      library: LIBRARY,
      playback: { sampleRate: RATE, framesPerBuffer: 480, ringMs: 3_000 },
    });
    // 2 s queued at once, at a level the fresh tone (at most 0.8) never reaches.
    const STALE = 0.95;
    const isStale = (s: number) => Math.abs(s - STALE) < 1e-3;
    const stale = new Float32Array(RATE * 2).fill(STALE);
    await device.playback!.write(stale);
    assert.ok(device.playback!.queuedMs() > 1_500);
    device.playback!.flush();
    const fresh = testTone({ sampleRate: RATE, ms: 200, hz: 700 });
    await device.playback!.write(fresh);
    await device.playback!.drain();
    await device.close();
    const played = decodeWavMono(await Deno.readFile(audio.speakerFile));
    assert.ok(played.ok);
    const samples = played.value.samples;
    const staleHeard = samples.filter(isStale).length;
    // At most what the device had already taken before the flush: a few periods, far below 2 s.
    assert.ok(staleHeard < RATE / 10, `${staleHeard} stale samples were heard`);
    const { error, compared } = maxErrorAligned(
      fresh,
      samples.subarray(samples.findLastIndex(isStale) + 1),
    );
    assert.equal(compared, fresh.length - onset(fresh), "all of the fresh audio was heard");
    assert.ok(error <= 1 / 32768, `max error ${error}`);
  }));

Deno.test("DeviceAudio reports a missing library or device clearly", async () => {
  await assert.rejects(
    DeviceAudio.open({
      library: "/nonexistent/libportaudio.so",
      playback: { sampleRate: RATE, framesPerBuffer: 480 },
    }),
    /cannot load \/nonexistent\/libportaudio\.so .*apt install libportaudio2/,
  );
  await withAudio(async () => {
    await assert.rejects(
      DeviceAudio.open({
        library: LIBRARY,
        capture: { device: 999, sampleRate: RATE, framesPerBuffer: 480 },
      }),
      /there is no audio device 999/,
    );
  });
});
