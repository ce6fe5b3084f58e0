/**
 * The dashboard as a new user meets it, in real Chromium against a real `nobody serve` with its
 * workers: the sign-in screen, uploads with progress, duplicate and bad files, listening to
 * samples, renaming, idempotent Train and Preview, a persona's voice checked when saved, the model
 * test, turns whose errors stay on their turn without breaking the status badge, the pickers and
 * level meter, persisted history with replay and clearing, and the Status page in plain words.
 * Screenshots land in artifacts/screenshots/.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { SPEECH_CLIPS } from "./helpers/fixtures.ts";
import { signInUrl, startServer } from "./helpers/server_process.ts";
import { startFakeLlm } from "./helpers/fake_llm.ts";
import { withBrowser } from "./helpers/browser.ts";
import { waitUntil } from "./helpers/wait.ts";

const MICROPHONE = "/usr/share/sounds/alsa/Front_Center.wav";
const LONG_NAME = "Bartholomew".repeat(7).slice(0, 80); // the longest name, with no space

/** Holds push-to-talk for `ms` of sent audio, then releases. */
async function talk(page: Page, seconds: number) {
  const sent = Number(await page.getByTestId("audio-sent").textContent());
  await page.getByRole("button", { name: /Hold to talk/ }).hover();
  await page.mouse.down();
  await waitUntil(
    `${seconds} s of audio sent`,
    async () => Number(await page.getByTestId("audio-sent").textContent()) >= sent + seconds,
  );
  await page.mouse.up();
}

Deno.test("dashboard: first run and everyday use never look broken", async () => {
  const dir = await Deno.makeTempDir();
  const llm = startFakeLlm();
  llm.reply({ text: "Hello there. Nice to meet you." });
  const server = await startServer(dir, [], { NOBODY_WORKERS: "true" });
  const api = (path: string, method = "GET", body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  try {
    await withBrowser({ microphoneWav: MICROPHONE }, async ({ page, errors, screenshot }) => {
      // First run: no cookie is a sign-in screen that says how to get in, not an empty dashboard.
      await page.goto(`${server.url}/ui/`);
      await page.getByRole("heading", { name: "Sign in to nobody" }).waitFor();
      await page.getByText("nobody ui --open").waitFor();
      assert.equal(await page.getByText("connecting…").count(), 0);
      assert.equal(await page.getByText(/Bearer/).count(), 0);
      await screenshot("sign-in");
      await screenshot("readme-1-sign-in", { fullPage: false });
      const form = page.getByRole("form", { name: "Sign in with a code" });
      await form.getByLabel(/paste a one-time code/).fill("not-a-code");
      await form.getByRole("button", { name: "Sign in" }).click();
      await form.getByRole("alert").getByText(/not valid/).waitFor();
      // A pasted link works as well as its code.
      await form.getByLabel(/paste a one-time code/).fill(await signInUrl(server));
      await form.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("connected", { exact: true }).waitFor();

      // Voices: eight files upload one after another with "n of 8", and leaving asks first.
      await page.getByLabel("Name").fill("Ada");
      await page.getByRole("button", { name: "Create voice" }).click();
      await page.getByRole("heading", { name: "Ada", level: 2 }).waitFor();
      await page.locator('input[type="file"]').setInputFiles(SPEECH_CLIPS);
      await page.getByText(/Uploading and analyzing [1-7] of 8/).waitFor();
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.type());
        dialog.dismiss().catch(() => {});
      });
      await page.reload({ timeout: 2_000 }).catch(() => {}); // the user stays: the reload is cancelled
      assert.deepEqual(dialogs, ["beforeunload"], "leaving mid-upload asks first");
      const cards = page.locator(".samples > li dl.figures");
      await waitUntil("eight analyzed samples", async () => await cards.count() === 8);
      // The same file again is refused by name; a text file is refused with the reason.
      await page.locator('input[type="file"]').setInputFiles(SPEECH_CLIPS[0]);
      await page.getByRole("list", { name: "Files not added" })
        .getByText(/same audio as sample "Front_Center\.wav"/).waitFor();
      assert.equal(await cards.count(), 8);

      // Every sample can be heard; deleting one asks first.
      const first = page.getByRole("listitem", { name: "Sample Front_Center.wav" });
      const listen = first.getByLabel("Listen to Front_Center.wav");
      const src = await listen.getAttribute("src");
      const audio = await page.request.get(`${server.url}${src}`);
      assert.equal(audio.status(), 200);
      assert.equal(audio.headers()["content-type"], "audio/wav");
      await first.getByRole("button", { name: "Delete Front_Center.wav" }).click();
      assert.equal(await cards.count(), 8, "one click deletes nothing");
      await first.getByRole("button", { name: "Keep" }).click();

      // Rename; the sample count reads as words.
      await page.getByRole("button", { name: "Rename" }).click();
      await page.getByRole("form", { name: "Rename voice" }).getByLabel("Name").fill("Ada L");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("heading", { name: "Ada L", level: 2 }).waitFor();
      await page.getByText("Saved Ada L.").waitFor();
      await page.getByText(/^8 samples, [\d.]+ s in all/).waitFor();

      // Train: the consent box sits by its words; pressing Train twice is one training.
      const consent = page.getByLabel(/agreed to have their voice cloned/);
      await consent.check();
      const box = (await consent.boundingBox())!;
      const words = (await page.getByText(/The speaker in these samples agreed/).boundingBox())!;
      assert.ok(words.x - (box.x + box.width) < 24, `the label is ${words.x - box.x} px away`);
      await page.getByRole("button", { name: "Train voice" }).dblclick();
      await page.getByText("Training finished: the voice is ready.").waitFor({ timeout: 90_000 });
      assert.equal(await page.locator("#training-title ~ [role=alert]").count(), 0);
      await screenshot("voice-ready");
      await page.getByRole("heading", { name: "Ada L", level: 2 }).scrollIntoViewIfNeeded();
      await screenshot("readme-2-voices", { fullPage: false });

      // Preview: a double click makes one request; the player replays without another.
      const speech: string[] = [];
      page.on("request", (r) => r.url().endsWith("/v1/audio/speech") && speech.push(r.url()));
      await page.getByRole("button", { name: "Play preview" }).dblclick();
      const player = page.getByLabel("Preview audio");
      await player.waitFor();
      assert.ok(Number(await player.getAttribute("data-seconds")) > 1);
      await page.getByRole("button", { name: "Play preview" }).click();
      assert.equal(speech.length, 1, "one synthesis for one text");
      const download = page.getByRole("link", { name: "Download" });
      assert.equal(await download.getAttribute("download"), "Ada L preview.wav");

      // Training again and cancelling says so once.
      await consent.check();
      await page.getByRole("button", { name: "Train again" }).click();
      await page.getByRole("button", { name: "Cancel training" }).click();
      await page.getByText("Training cancelled.", { exact: true }).waitFor({ timeout: 30_000 });

      // A long unbroken name wraps: nothing is wider than the window.
      const long = await (await api("/voices", "POST", { name: LONG_NAME })).json();
      await page.goto(`${server.url}/ui/#/voices/${long.id}`);
      await page.getByRole("heading", { name: LONG_NAME, level: 2 }).waitFor();
      const width = await page.locator("html").evaluate((html) => html.scrollWidth);
      assert.ok(width <= 1280, `the page is ${width} px wide`);

      // Personas: a draft voice is refused when saving; the model test answers; saves say so.
      await page.getByRole("link", { name: "Personas" }).click();
      const persona = page.getByRole("form", { name: "New persona" });
      await persona.getByLabel("Name").fill("Guide");
      await persona.getByLabel("Provider").selectOption("openai_compatible");
      await persona.getByLabel("Model").fill("tiny");
      await persona.getByLabel(/Base URL/).fill(llm.url);
      await persona.getByLabel("Voice").selectOption({ label: `${LONG_NAME} (draft)` });
      await persona.getByRole("button", { name: "Create persona" }).click();
      await persona.getByRole("alert").getByText(/is not trained yet/).waitFor();
      await persona.getByRole("button", { name: "Test model" }).click();
      await persona.getByTestId("model-test").getByText(/First token after \d+ ms: "Hello/)
        .waitFor();
      await persona.getByLabel("Voice").selectOption({ label: "Ada L (ready)" });
      await persona.getByRole("button", { name: "Create persona" }).click();
      await page.getByText("Saved Guide.").waitFor();
      const row = page.getByRole("list", { name: "Personas" }).getByRole("listitem");
      await row.getByText("OpenAI-compatible server · tiny · Ada L").waitFor();
      await page.getByRole("button", { name: "Edit Guide" }).click();
      await page.getByLabel("System prompt").fill("Be very brief.");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("Saved Guide.").waitFor();
      await page.getByRole("heading", { name: "Personas", level: 1 }).scrollIntoViewIfNeeded();
      await page.locator("header.top").scrollIntoViewIfNeeded();
      await screenshot("readme-3-personas", { fullPage: false });

      // Talk: the pickers, the level meter, a turn, then a turn the model fails.
      await page.getByRole("link", { name: "Talk" }).click();
      await page.getByRole("combobox", { name: /^Persona/ }).selectOption({ label: "Guide" });
      await page.getByRole("combobox", { name: /^Voice/ })
        .getByText("The persona's voice (Ada L)").waitFor({ state: "attached" });
      assert.equal(await page.getByRole("combobox", { name: /^Microphone/ }).count(), 1);
      await page.getByRole("button", { name: "Start conversation" }).click();
      const meter = page.getByTestId("mic-level");
      await waitUntil(
        "the level meter moves",
        async () => Number(await meter.getAttribute("data-db")) > -60,
      );
      const state = page.getByRole("list", { name: "Session state" }).locator(
        '[aria-current="step"]',
      );
      await waitUntil("idle", async () => await state.textContent() === "idle");
      await talk(page, 1.5);
      await page.locator(".turns .reply").filter({ hasText: "Nice to meet you." }).waitFor();
      await waitUntil("idle again", async () => await state.textContent() === "idle");
      llm.reply({ text: "", status: 500, errorMessage: "the model fell over" });
      await talk(page, 1.5);
      const failed = page.locator(".turns > li").nth(1);
      await failed.getByRole("alert").getByText(/This turn failed: .*fell over/).waitFor();
      assert.equal(await page.locator(".turns > li").count(), 2, "no empty card for the failure");
      // An event after the failure reaches the page: the session_error before it did too, and
      // the badge stayed connected (an SSE `error` event used to turn it red for good).
      await api("/personas", "POST", { name: "Second", llm: { provider: "ollama", model: "m" } });
      await page.getByRole("combobox", { name: /^Persona/ }).getByText("Second")
        .waitFor({ state: "attached" });
      await page.getByText("connected", { exact: true }).waitFor();
      assert.equal(await page.getByText("connecting…").count(), 0);
      await screenshot("talk");
      await screenshot("readme-4-talk", { fullPage: false });

      // History: the conversation is kept; a reply can be heard again; clearing forgets it.
      await page.getByRole("button", { name: "End conversation" }).click();
      const history = page.getByRole("list", { name: "Earlier conversations" });
      await history.getByText("Hello there. Nice to meet you.").waitFor();
      await history.getByRole("button", { name: "Replay" }).first().click();
      await page.getByLabel("Replayed reply").waitFor();
      await screenshot("talk-history");
      await screenshot("readme-5-history", { fullPage: false });
      await page.getByRole("button", { name: "Clear history" }).click();
      await page.getByRole("button", { name: "Confirm: Clear history" }).click();
      await page.getByText(/None yet: what you say and hear is kept here/).waitFor();
      const kept = await (await api(`/personas/${await personaId(api)}/history`)).json();
      assert.deepEqual(kept.messages, []);

      // Status in plain words.
      await page.getByRole("link", { name: "Status" }).click();
      await page.getByText(/, up \d+ (s|min); data in/).waitFor();
      await page.getByRole("heading", { name: "Audio devices" }).waitFor();
      await waitUntil(
        "the audio devices answer",
        async () =>
          await page.getByRole("list", { name: "Audio devices" }).count() +
              await page.getByText(/No audio devices found|cannot be listed/).count() > 0,
      );
      const problems = page.getByRole("list", { name: "Recent problems" });
      if (await problems.count() > 0) {
        assert.doesNotMatch(await problems.textContent() ?? "", /\{"/, "no raw JSON");
      }
      await screenshot("status");
      await screenshot("readme-6-status", { fullPage: false });

      // The console errors are the refused requests the test made on purpose.
      assert.deepEqual(
        errors.filter((e) => !/status of (400|401|409)/.test(e)),
        [],
        `console errors: ${errors.join("\n")}`,
      );
    });
    await withBrowser(
      { microphoneWav: MICROPHONE, viewport: { width: 390, height: 844 } },
      async ({ page, errors, screenshot }) => {
        await page.goto(await signInUrl(server));
        await page.getByRole("link", { name: "Ada L" }).waitFor();
        const { voices } = await (await api("/voices")).json();
        const long = voices.find((v: { name: string }) => v.name === LONG_NAME);
        await page.goto(`${server.url}/ui/#/voices/${long.id}`);
        await page.getByRole("heading", { name: LONG_NAME, level: 2 }).waitFor();
        const width = await page.locator("html").evaluate((html) => html.scrollWidth);
        assert.ok(width <= 390, `the page is ${width} px wide on a phone`);
        await screenshot("voice-phone");
        assert.deepEqual(errors, []);
      },
    );
  } finally {
    await server.stop();
    await llm.close();
    await Deno.remove(dir, { recursive: true });
  }
});

async function personaId(api: (path: string) => Promise<Response>): Promise<string> {
  const { personas } = await (await api("/personas")).json();
  return personas.find((p: { name: string }) => p.name === "Guide").id;
}
