/**
 * The Dictate tab in real Chromium against the real service and its workers, a LibriVox reader
 * with pauses as the microphone: hold to dictate, the text lands in the box, Copy puts it on the
 * clipboard; hands-free ends pieces on pauses. No model is asked.
 */
import assert from "node:assert/strict";
import { signInUrl, startServer } from "./helpers/server_process.ts";
import { startFakeLlm } from "./helpers/fake_llm.ts";
import { withBrowser } from "./helpers/browser.ts";
import { waitUntil } from "./helpers/wait.ts";
import { speechCorpus, wordErrors } from "./helpers/speech_corpus.ts";
import { decodeWavMono, encodeWav16 } from "../src/audio/wav.ts";

const clip = (await speechCorpus()).find((s) => s.id === "librivox")!.clips[1];

/** A sentence of real speech, then a pause of a quiet room: the browser loops it. */
async function microphone(dir: string): Promise<string> {
  const wav = decodeWavMono(await Deno.readFile(clip.path));
  if (!wav.ok) throw new Error(wav.error.message);
  const rate = wav.value.sampleRate;
  const samples = Float32Array.from(
    { length: wav.value.samples.length + rate * 2 },
    () => (Math.random() - 0.5) * 0.002,
  );
  samples.set(wav.value.samples, rate / 2);
  await Deno.writeFile(`${dir}/mic.wav`, encodeWav16(samples, rate));
  return `${dir}/mic.wav`;
}

Deno.test("dashboard: the Dictate tab turns speech into text to copy", async () => {
  const dir = await Deno.makeTempDir();
  const llm = startFakeLlm();
  const server = await startServer(dir, [], { NOBODY_WORKERS: "true" });
  try {
    await withBrowser(
      { microphoneWav: await microphone(dir) },
      async ({ page, errors, screenshot }) => {
        await page.goto(await signInUrl(server));
        await page.getByRole("link", { name: "Dictate" }).click();
        await page.getByRole("button", { name: "Start dictation" }).click();
        const hold = page.getByRole("button", { name: /Hold to dictate/ });
        await hold.hover();
        await page.mouse.down();
        await page.getByRole("button", { name: /Listening/ }).waitFor();
        // Released once the service has heard words (its partial transcript shows).
        await page.locator(".partial").waitFor({ timeout: 30_000 });
        await page.mouse.up();
        const box = page.getByTestId("dictated");
        const text = await waitUntil(
          "dictated text",
          async () => (await box.inputValue()).trim() || null,
        );
        assert.match(text, /[a-z]/, text);
        await page.getByRole("button", { name: "Copy" }).click();
        await page.getByText("Copied: paste it anywhere.").waitFor();
        // Runs in the page, where the DOM's navigator has a clipboard.
        const copied = await page.locator("body").evaluate(() =>
          (globalThis.navigator as unknown as { clipboard: { readText(): Promise<string> } })
            .clipboard.readText()
        );
        assert.equal(copied, await box.inputValue());
        await screenshot("dictate");
        await page.getByRole("button", { name: "Stop dictation" }).click();

        // Hands-free: no button to hold; the pauses in the recording end each piece.
        await page.getByRole("button", { name: "Clear" }).click();
        await page.getByLabel(/Hands-free/).check();
        await page.getByRole("button", { name: "Start dictation" }).click();
        assert.equal(await page.getByRole("button", { name: /Hold to dictate/ }).count(), 0);
        const piece = await waitUntil(
          "a hands-free piece",
          async () => (await box.inputValue()).trim() || null,
          { ms: 30_000 },
        );
        // The piece is one sentence of the loop, not cut mid-word: most of its words are there.
        const heard = wordErrors(clip.text, piece);
        assert.ok(heard.errors / heard.words <= 0.6, `"${piece}" for "${clip.text}"`);
        await page.getByRole("button", { name: "Stop dictation" }).click();
        assert.equal(llm.requests.length, 0, "dictation asks no model");
        assert.deepEqual(errors, [], `console errors: ${errors.join("\n")}`);
      },
    );
  } finally {
    await server.stop();
    await llm.close();
    await Deno.remove(dir, { recursive: true });
  }
});
