/**
 * /v1/audio/speech in pcm is the TTS worker's own 16-bit audio, byte for byte: no float32 on the
 * wire and no conversion in the core (that made it 1.56x bare espeak-ng for a minute of speech).
 */
import assert from "node:assert/strict";
import { withCore } from "./helpers/core_harness.ts";
import { concatBytes } from "../src/lib/bytes.ts";

Deno.test("speech: a pcm answer is the worker's 16-bit audio, unconverted", () =>
  withCore(async (h) => {
    const input = "Sure. The lights are on now.";
    const response = await h.json("/v1/audio/speech", "POST", {
      model: "tts-1",
      voice: "alloy",
      input,
      response_format: "pcm",
    });
    assert.equal(response.status, 200);
    const served = new Uint8Array(await response.arrayBuffer());
    const parts: Uint8Array[] = [];
    for await (
      const chunk of h.workers!.tts.synthesize(input, { sampleRate: 24_000, pcm16: true })
    ) {
      assert.ok(chunk.pcm16, "the worker sent 16-bit audio");
      parts.push(chunk.pcm16);
    }
    const worker = concatBytes(...parts);
    assert.ok(served.length > 24_000, `${served.length} bytes`);
    assert.deepEqual(served, worker);
  }, { workers: true }));
