/**
 * Runs the workers' Python unit tests with the interpreter the service uses.
 */
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { testConfig } from "./helpers/core_harness.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

Deno.test("python: the workers' unit tests pass", async () => {
  const python = testConfig("/tmp").workers.python;
  const suites = [
    "workers/common/tests",
    "workers/stt/tests",
    "workers/tts/tests",
    "workers/trainer/tests",
  ];
  for (const suite of suites) {
    const out = await new Deno.Command(python, {
      args: ["-m", "unittest", "discover", "-s", suite, "-t", suite],
      cwd: ROOT,
      env: {
        PYTHONPATH: [
          "workers/common/src",
          "workers/stt/src",
          "workers/tts/src",
          "workers/trainer/src",
        ].map((d) => `${ROOT}${d}`).join(":"),
        PYTHONDONTWRITEBYTECODE: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `${suite}:\n${text}`);
    assert.match(text, /Ran [1-9]\d* tests?[\s\S]*\nOK/, `${suite} ran no test:\n${text}`);
  }
});
