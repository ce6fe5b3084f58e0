/**
 * `nobody devices`, `play` and `record` as separate processes on headless clocked ALSA devices:
 * recorded speech comes back bit-exact, played speech lands in the speaker file intact.
 */
import assert from "node:assert/strict";
import { headlessAudio, maxErrorAligned, onset, toS16 } from "./helpers/alsa.ts";
import { SPEECH_WAV } from "./helpers/fixtures.ts";
import { cli, runCli } from "./helpers/server_process.ts";
import { decodeWavMono, encodeWav16 } from "../src/audio/wav.ts";

const speech = decodeWavMono(await Deno.readFile(SPEECH_WAV));
if (!speech.ok) throw new Error(speech.error.message);
const SPEECH = speech.value.samples; // real human speech, 48 kHz mono 16-bit

async function withDevices(
  fn: (dir: string, env: Record<string, string>, mic: string, speaker: string) => Promise<void>,
  options: { clocked: boolean } = { clocked: true },
) {
  const dir = await Deno.makeTempDir({ prefix: "nobody-audio-cli-" });
  try {
    const audio = await headlessAudio(dir, options);
    await fn(
      dir,
      { ...audio.env, NOBODY_DATA_DIR: `${dir}/data` },
      audio.micFile,
      audio.speakerFile,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("cli: devices lists the headless devices, as a table and as JSON", () =>
  withDevices(async (_dir, env) => {
    const table = await runCli(["devices"], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /\d+<>default +\d+ +\d+ +48k +ALSA/);
    const json = JSON.parse((await runCli(["devices", "--json"], env)).stdout);
    assert.ok(
      json.some((d: { name: string; isDefaultInput: boolean }) =>
        d.name === "default" && d.isDefaultInput
      ),
    );
  }));

Deno.test("cli: record captures the microphone into a WAV bit-exact", () =>
  withDevices(async (dir, env, mic) => {
    await Deno.writeFile(mic, toS16(SPEECH));
    const result = await runCli(["record", `${dir}/take.wav`, "--seconds", "1.6"], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /wrote .*take\.wav: 1\.60 s, peak -?\d+\.\d dBFS, 0 overrun samples/,
    );
    const recorded = decodeWavMono(await Deno.readFile(`${dir}/take.wav`));
    assert.ok(recorded.ok);
    assert.equal(recorded.value.samples.length, 1.6 * 48_000);
    const { error, compared } = maxErrorAligned(SPEECH, recorded.value.samples);
    assert.equal(compared, SPEECH.length - onset(SPEECH));
    assert.equal(error, 0);
  }));

Deno.test("cli: play sends a WAV through the speaker path intact", () =>
  withDevices(async (_dir, env, _mic, speaker) => {
    const result = await runCli(["play", SPEECH_WAV], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /playing .*Front_Center\.wav \(1\.43 s at 48000 Hz\)[\s\S]*done: 0 underrun samples/,
    );
    const played = decodeWavMono(await Deno.readFile(speaker));
    assert.ok(played.ok);
    const { error, compared } = maxErrorAligned(SPEECH, played.value.samples);
    assert.equal(compared, SPEECH.length - onset(SPEECH));
    assert.ok(error <= 1 / 32768, `max error ${error}`);
  }));

Deno.test("cli: audio commands explain bad input and missing devices", () =>
  withDevices(async (dir, env) => {
    const missing = await runCli(["play", `${dir}/none.wav`], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nobody: .*none\.wav does not exist/);
    await Deno.writeTextFile(`${dir}/text.wav`, "not a wav");
    const notWav = await runCli(["play", `${dir}/text.wav`], env);
    assert.equal(notWav.code, 1);
    assert.match(notWav.stderr, /nobody: not a RIFF\/WAVE file/);
    const seconds = await runCli(["record", `${dir}/x.wav`, "--seconds", "ten"], env);
    assert.equal(seconds.code, 1);
    assert.match(seconds.stderr, /--seconds must be a number/);
    const device = await runCli(["record", `${dir}/x.wav`, "--device", "USB Headset"], env);
    assert.equal(device.code, 1);
    assert.match(device.stderr, /"USB Headset" matches no input device \(input devices: .*default/);
    const noArg = await runCli(["play"], env);
    assert.equal(noArg.code, 2);
    assert.match(noArg.stderr, /play takes a WAV file to play/);
  }));

Deno.test("cli: play on a device with no clock ends with its input, and says nothing of JACK", () =>
  withDevices(async (_dir, env, _mic, speaker) => {
    // Before: priming the device never ended (an unclocked device always has room), the command
    // never printed "playing" and wrote gigabytes of silence until it was killed.
    const child = cli(["play", SPEECH_WAV], env).spawn();
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const out = await child.output();
    clearTimeout(killer);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.match(stderr, /playing .*Front_Center\.wav/);
    const bytes = (await Deno.stat(speaker)).size;
    // The input is 137 kB; the rest is the silence the unclocked device took while draining.
    assert.ok(bytes < 50_000_000, `the speaker file is ${bytes} bytes`);
    // PortAudio probing JACK used to print "Cannot connect to server socket" on every command.
    assert.doesNotMatch(stderr, /jack|Cannot connect|JackShm/i);
    const devices = await runCli(["devices"], env);
    assert.doesNotMatch(devices.stderr, /jack|Cannot connect/i);
  }, { clocked: false }));

Deno.test("cli: play stops at SIGTERM and at SIGINT", () =>
  withDevices(async (dir) => {
    const long = `${dir}/long.wav`;
    await Deno.writeFile(long, encodeWav16(new Float32Array(48_000 * 60).fill(0.01), 48_000));
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const child = cli(["play", long], await envOf(dir)).spawn();
      const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
      let seen = "";
      while (!/playing /.test(seen)) {
        const { done, value } = await reader.read();
        if (done) break;
        seen += value;
      }
      child.kill(signal);
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        seen += value;
      }
      const status = await child.status;
      clearTimeout(killer);
      await child.stdout.cancel();
      assert.equal(status.code, 130, `${signal}: ${seen}`);
      assert.match(seen, /stopped\ndone: /, signal);
    }
  }));

/** The device environment of a dir made by withDevices (its config is already written). */
async function envOf(dir: string): Promise<Record<string, string>> {
  const audio = await headlessAudio(dir, { clocked: true });
  return { ...audio.env, NOBODY_DATA_DIR: `${dir}/data` };
}
