import assert from "node:assert/strict";
import type { AudioSink } from "../../ports/audio_io.ts";
import { OnDemandSpeaker } from "./on_demand_speaker.ts";

/** An opener that counts streams and records what each one was sent. */
function fakeDevice() {
  const log: string[] = [];
  let opened = 0;
  const open = () => {
    const n = ++opened;
    log.push(`open ${n}`);
    const sink: AudioSink = {
      sampleRate: 48_000,
      write: (samples) => Promise.resolve(void log.push(`write ${n} ${samples.length}`)),
      finish: () => Promise.resolve(void log.push(`finish ${n}`)),
      flush: () => void log.push(`flush ${n}`),
      latencyMs: () => 20,
    };
    return Promise.resolve({ sink, close: () => Promise.resolve(void log.push(`close ${n}`)) });
  };
  return { log, open };
}

/** Resolves when the speaker has closed its stream; bounded. */
async function closed(speaker: OnDemandSpeaker) {
  const deadline = Date.now() + 5_000;
  while (speaker.isOpen) {
    if (Date.now() > deadline) throw new Error("the speaker never closed");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

Deno.test("OnDemandSpeaker opens for a reply and closes once it is heard", async () => {
  const device = fakeDevice();
  const speaker = new OnDemandSpeaker(device.open, { sampleRate: 48_000, idleCloseMs: 20 });
  assert.equal(speaker.isOpen, false, "nothing is open before a reply");
  await speaker.finish(); // a turn with no audio opens nothing
  assert.deepEqual(device.log, []);

  await speaker.write(new Float32Array(480));
  assert.equal(speaker.isOpen, true);
  assert.equal(speaker.latencyMs(), 20);
  await speaker.write(new Float32Array(480));
  await speaker.finish();
  await closed(speaker);
  assert.deepEqual(device.log, ["open 1", "write 1 480", "write 1 480", "finish 1", "close 1"]);

  // The next reply gets a fresh stream; a barge-in flush closes it as well.
  await speaker.write(new Float32Array(240));
  speaker.flush();
  await closed(speaker);
  assert.deepEqual(device.log.slice(5), ["open 2", "write 2 240", "flush 2", "close 2"]);
  assert.equal(speaker.latencyMs(), 0);
});

Deno.test("OnDemandSpeaker keeps the stream through a quick follow-up and retries a failed open", async () => {
  const device = fakeDevice();
  let fail = true;
  const speaker = new OnDemandSpeaker(() => {
    if (fail) {
      fail = false;
      return Promise.reject(new Error("device busy"));
    }
    return device.open();
  }, { sampleRate: 48_000, idleCloseMs: 60_000 });
  await assert.rejects(speaker.write(new Float32Array(10)), /device busy/);
  assert.equal(speaker.isOpen, false);
  await speaker.write(new Float32Array(10));
  await speaker.finish();
  await speaker.write(new Float32Array(10)); // within the idle time: the same stream
  assert.deepEqual(device.log, ["open 1", "write 1 10", "finish 1", "write 1 10"]);
  await speaker.close();
  assert.equal(speaker.isOpen, false);
  assert.deepEqual(device.log.at(-1), "close 1");
});
