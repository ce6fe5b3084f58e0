/**
 * The dashboard in real Chromium against a real `nobody serve` with its workers, a recording of
 * human speech as the microphone: create a voice, upload and record samples, train it and hear a
 * preview; create a persona; hold push-to-talk and get a transcript, a streamed reply and its
 * audio. Screenshots of every page land in artifacts/screenshots/.
 */
import { SPEECH_CLIPS } from "./helpers/fixtures.ts";
import assert from "node:assert/strict";
import { signInUrl, startServer } from "./helpers/server_process.ts";
import { startFakeLlm } from "./helpers/fake_llm.ts";
import { withBrowser } from "./helpers/browser.ts";

// Six clips: with the one recorded in the browser they pass the 10 s that training needs.
const CLIPS = SPEECH_CLIPS.slice(0, 6);
const MICROPHONE = "/usr/share/sounds/alsa/Front_Center.wav";
// Long enough to still be playing when the test presses the key again.
const REPLY = "Hello from your persona. It is nice to hear you. " +
  "Let me tell you about the weather today, which is calm and mild, with a light wind from the sea.";

/** Waits for a condition on the page (locators, not page-side code: the page's CSP forbids eval). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test("dashboard: voices, samples, training, personas and a push-to-talk turn in Chromium", async () => {
  const dir = await Deno.makeTempDir();
  const llm = startFakeLlm();
  llm.reply({ text: REPLY });
  const server = await startServer(dir, [], { NOBODY_WORKERS: "true" });
  try {
    await withBrowser({ microphoneWav: MICROPHONE }, async ({ page, errors, screenshot }) => {
      // The one-time sign-in link swaps its code for a cookie and leaves the address bar clean.
      await page.goto(await signInUrl(server));
      assert.equal(new URL(page.url()).pathname, "/ui/");
      await page.getByText("connected", { exact: true }).waitFor();

      // Voices: create one, add samples by file picker.
      await page.getByLabel("Name").fill("Ada");
      await page.getByRole("button", { name: "Create voice" }).click();
      await page.getByRole("heading", { name: "Ada", level: 2 }).waitFor();
      await page.locator('input[type="file"]').setInputFiles(CLIPS);
      const samples = page.getByRole("list", { name: "Samples" }).locator("> li");
      await until(
        "analyzed samples",
        async () => await page.locator(".samples > li dl.figures").count() === CLIPS.length,
      );
      assert.equal(await samples.count(), CLIPS.length);
      await until(
        "waveforms drawn",
        async () => await page.locator('canvas.waveform:not([data-drawn="true"])').count() === 0,
      );

      // Record one more in the browser: the fake microphone plays the recording.
      await page.getByRole("button", { name: "Record a sample" }).click();
      await page.getByRole("button", { name: /Stop recording \(2\.\d s\)/ }).waitFor();
      await page.getByRole("button", { name: /Stop recording/ }).click();
      await until(
        "analyzed samples",
        async () => await page.locator(".samples > li dl.figures").count() === CLIPS.length + 1,
      );
      const recorded = samples.filter({
        hasText: /Recording \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.wav/,
      });
      assert.match(await recorded.textContent() ?? "", /WAV, 2\.\d s, (44100|48000) Hz/);
      await screenshot("voices");

      // Train with consent: the progress bar follows the job, the voice becomes ready.
      await page.getByLabel(/agreed to have their voice cloned/).check();
      await page.getByRole("button", { name: "Train voice" }).click();
      await page.getByRole("progressbar", { name: "Training progress" }).waitFor();
      await screenshot("voice-training");
      await page.getByText("Training finished: the voice is ready.").waitFor({ timeout: 60_000 });
      await page.getByRole("button", { name: "Play preview" }).click();
      const preview = await page.getByText(/^\d+\.\d s of preview$/).textContent();
      assert.ok(Number(/(\d+\.\d) s/.exec(preview!)![1]) > 1, preview!);

      // Personas: create one with the cloned voice; a duplicate name gets the service's message.
      await page.getByRole("link", { name: "Personas" }).click();
      const form = page.getByRole("form", { name: "New persona" });
      const fillPersona = async () => {
        await form.getByLabel("Name").fill("Guide");
        await form.getByLabel("Model").fill("tiny");
        await form.getByLabel(/Base URL/).fill(llm.url);
        await form.getByLabel("Voice").selectOption({ label: "Ada (ready)" });
        await form.getByRole("button", { name: "Create persona" }).click();
      };
      await fillPersona();
      // "Saved" shows once the form is fresh again (the list may update first, over /events).
      await page.getByText("Saved Guide.").waitFor();
      await page.getByRole("list", { name: "Personas" }).getByText("Guide", { exact: true })
        .waitFor();
      await fillPersona();
      await form.getByRole("alert").getByText(/persona named "Guide" already exists/).waitFor();
      await screenshot("personas");

      // Talk: hold the button while the microphone streams, release, and the turn completes.
      await page.getByRole("link", { name: "Talk" }).click();
      await page.getByRole("button", { name: "Start conversation" }).click();
      const state = page.getByRole("list", { name: "Session state" }).locator(
        '[aria-current="step"]',
      );
      await until("state idle", async () => await state.textContent() === "idle");
      const ptt = page.getByRole("button", { name: /Hold to talk/ });
      await ptt.hover();
      await page.mouse.down();
      await until(
        "audio-sent >= 1.5 s",
        async () => Number(await page.getByTestId("audio-sent").textContent()) >= 1.5,
      );
      assert.equal(await state.textContent(), "recording");
      await page.mouse.up();
      await page.locator(".turns .reply").filter({ hasText: REPLY }).waitFor({ timeout: 30_000 });
      const heard = await page.locator(".turns .heard").first().textContent();
      assert.ok(heard && heard.trim().length > 0, "a transcript of the recording is shown");
      await page.getByRole("table", { name: "Turn latency" }).waitFor({ timeout: 30_000 });
      await until(
        "audio-received > 1 s",
        async () => Number(await page.getByTestId("audio-received").textContent()) > 1,
      );
      const lastUser = (llm.requests.at(-1)?.body.messages as { role: string; content: string }[])
        .findLast((m) => m.role === "user");
      assert.equal(lastUser?.content, heard!.trim(), "the LLM got what the page shows as heard");
      await screenshot("talk");

      // The space bar is push-to-talk too, and pressing it while a reply plays interrupts it.
      await until("idle", async () => await state.textContent() === "idle");
      const sentBefore = Number(await page.getByTestId("audio-sent").textContent());
      await page.locator("body").focus();
      await page.keyboard.down("Space");
      await until("state recording", async () => await state.textContent() === "recording");
      await until(
        "1.5 s more audio sent",
        async () => Number(await page.getByTestId("audio-sent").textContent()) >= sentBefore + 1.5,
      );
      await page.keyboard.up("Space");
      await until("the second reply playing", async () => await state.textContent() === "playing");
      await page.keyboard.down("Space"); // barge-in
      await until("barge-in", async () => await state.textContent() === "recording");
      assert.equal(
        await page.locator(".turns > li").count(),
        3,
        "the barge-in opened a third turn",
      );
      await page.keyboard.up("Space");
      await until("state not recording", async () => await state.textContent() !== "recording");

      // Status: workers and their engines.
      await page.getByRole("link", { name: "Status" }).click();
      const workers = page.getByRole("table", { name: "Workers" });
      await workers.getByText("espeak", { exact: false }).first().waitFor();
      assert.equal(await workers.locator("tbody tr").count(), 3);
      await page.getByTestId("ollama").waitFor();
      await screenshot("status");

      // The only console errors are the refused duplicate persona's 409.
      assert.deepEqual(
        errors.filter((e) => !/status of 409/.test(e)),
        [],
        `console errors: ${errors.join("\n")}`,
      );
    });
    await withBrowser(
      { microphoneWav: MICROPHONE, viewport: { width: 390, height: 844 } },
      async ({ page, errors, screenshot }) => {
        await page.goto(await signInUrl(server));
        await page.getByRole("link", { name: "Ada" }).click();
        await page.getByRole("heading", { name: "Ada", level: 2 }).waitFor();
        // On a phone the columns stack: nothing is wider than the screen.
        const width = await page.locator("html").evaluate((html) => html.scrollWidth);
        assert.ok(width <= 390, `the page is ${width} px wide`);
        await screenshot("voices-phone");
        assert.deepEqual(errors, []);
      },
    );
  } finally {
    await server.stop();
    await llm.close();
    await Deno.remove(dir, { recursive: true });
  }
});
