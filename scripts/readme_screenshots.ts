/**
 * Copies the dashboard pictures that README.md shows from the browser test's artifacts into
 * docs/screenshots/. Run the test first: `deno test -A tests/dashboard_everyday_test.ts`.
 *
 *   deno task screenshots
 */
import { fileURLToPath } from "node:url";

const FROM = fileURLToPath(new URL("../artifacts/screenshots/", import.meta.url));
const TO = fileURLToPath(new URL("../docs/screenshots/", import.meta.url));

await Deno.mkdir(TO, { recursive: true });
let copied = 0;
for (const entry of Deno.readDirSync(FROM)) {
  const match = /^readme-(.+\.png)$/.exec(entry.name);
  if (!match) continue;
  await Deno.copyFile(`${FROM}${entry.name}`, `${TO}${match[1]}`);
  copied++;
}
if (copied === 0) {
  console.error(
    "no readme-*.png in artifacts/screenshots: run tests/dashboard_everyday_test.ts first",
  );
  Deno.exit(1);
}
console.log(`copied ${copied} screenshots to docs/screenshots/`);
