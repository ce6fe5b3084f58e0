/**
 * README.md as a newcomer reads it: the two commands, an API table that stays one table (every
 * row two cells, no escaped pipes that some renderers split on, the session rows included), every
 * endpoint the service serves listed, and every picture it shows present.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const README = Deno.readTextFileSync(`${ROOT}README.md`);

Deno.test("readme: names the command that runs the service and the one that runs the tests", () => {
  assert.match(README, /```sh\ndeno task start\n```/);
  assert.match(README, /```sh\ndeno task test\n```/);
});

Deno.test("readme: the API table is one table, and its session rows are rows", () => {
  const lines = README.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| method and path"));
  assert.ok(start > 0, "the table's header");
  const end = lines.findIndex((l, i) => i > start && !l.startsWith("|"));
  const rows = lines.slice(start + 2, end);
  for (const row of rows) {
    assert.doesNotMatch(row, /\\\|/, `no escaped pipe: ${row}`);
    assert.equal(row.split("|").length, 4, `two cells: ${row}`);
  }
  const paths = rows.map((r) => r.split("|")[1]);
  for (const wanted of ["POST /sessions", "GET /events", "WS /ws/session/{id}", "/history"]) {
    assert.ok(paths.some((p) => p.includes(wanted)), `a row for ${wanted}`);
  }
  assert.equal(lines[end], "", "the table ends at a blank line, not in a paragraph");
});

Deno.test("readme: every picture it shows is in the repository", () => {
  const images = [...README.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 6, "a screenshot of each dashboard page");
  for (const image of images) {
    assert.ok(Deno.statSync(`${ROOT}${image}`).isFile, image);
  }
});
