/**
 * @module
 * The dashboard's files, embedded so that `deno compile` carries them inside the binary.
 */
import type { UiAsset } from "../src/http/routes/ui.ts";
import index from "./index.html" with { type: "bytes" };

export const UI_ASSETS: ReadonlyMap<string, UiAsset> = new Map([
  ["index.html", {
    contentType: "text/html; charset=utf-8",
    body: index as Uint8Array<ArrayBuffer>,
  }],
]);
