/**
 * @module
 * Debian's Chromium driven by playwright-core, with a real recording as the microphone, and the
 * console watched: the dashboard must run without errors.
 */
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
export const ARTIFACTS = fileURLToPath(new URL("../../artifacts/screenshots/", import.meta.url));

export interface BrowserSession {
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and uncaught exceptions so far. */
  readonly errors: string[];
  /** The whole page, or only what the window shows (`fullPage: false`, for README pictures). */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<void>;
}

export async function withBrowser(
  options: { microphoneWav: string; viewport?: { width: number; height: number } },
  fn: (b: BrowserSession) => Promise<void>,
): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${options.microphoneWav}`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
  try {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 900 },
      // The dashboard's Copy buttons; the page is served from loopback.
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const screenshot = async (name: string, options: { fullPage?: boolean } = {}) => {
      await page.screenshot({
        path: `${ARTIFACTS}${name}.png`,
        fullPage: options.fullPage ?? true,
      });
    };
    try {
      await fn({ browser, page, errors, screenshot });
    } catch (error) {
      // What the page showed when the test failed, with its console.
      await screenshot("failure").catch(() => {});
      await Deno.writeTextFile(`${ARTIFACTS}failure-console.txt`, errors.join("\n"));
      throw error;
    }
  } finally {
    await browser.close();
  }
}
