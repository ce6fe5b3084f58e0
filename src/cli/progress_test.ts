import assert from "node:assert/strict";
import { bar, progress } from "./progress.ts";

Deno.test("bar() fills in proportion and clamps", () => {
  assert.equal(bar(0, 10), "[----------]   0%");
  assert.equal(bar(0.5, 10), "[#####-----]  50%");
  assert.equal(bar(2, 10), "[##########] 100%");
});

Deno.test("progress() on a pipe writes one line per tenth; on a terminal it redraws", () => {
  const lines: string[] = [];
  const piped = progress({ write: (t) => lines.push(t), tty: false });
  for (let i = 0; i <= 100; i++) piped.update(i / 100, "training");
  piped.done("done");
  assert.equal(lines.length, 12); // 0..10 tenths, then done
  assert.ok(lines.every((l) => l.endsWith("\n")));

  const drawn: string[] = [];
  const tty = progress({ write: (t) => drawn.push(t), tty: true });
  tty.update(0.25, "uploading a.wav");
  assert.equal(drawn[0], `\r\x1b[2K[######------------------]  25% uploading a.wav`);
});
