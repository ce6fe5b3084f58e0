/**
 * Every CLI failure is one `nobody: ...` line and a non-zero exit, never a stack trace: missing
 * files, unwritable outputs, a service that is not installed; and `voices add` reports each bad
 * file and still adds the rest.
 */
import assert from "node:assert/strict";
import { SPEECH_CLIPS } from "./helpers/fixtures.ts";
import { runCli, startServer } from "./helpers/server_process.ts";

/** One line on stderr, starting `nobody: `, with no stack frames. */
function assertOneLine(result: { code: number; stderr: string }, pattern: RegExp) {
  assert.notEqual(result.code, 0);
  const lines = result.stderr.trim().split("\n").filter((l) => !/^\[[#-]+\]/.test(l));
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0], /^nobody: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(result.stderr, /\bat .*\.ts:\d+|Uncaught|error: /);
}

Deno.test("cli: bad files and paths are one clear line each", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(dir, [], { NOBODY_WORKERS: "true" });
  const env = { NOBODY_DATA_DIR: dir };
  try {
    assertOneLine(await runCli(["transcribe", `${dir}/nope.wav`], env), /nope\.wav: no such file/);
    assertOneLine(
      await runCli(["say", "hello", "--out", `${dir}/missing/dir/x.wav`], env),
      /cannot write .*missing\/dir\/x\.wav: the folder .*missing\/dir does not exist/,
    );
    assertOneLine(
      await runCli(["voices", "add", "voice_aaaaaaaaaaaaaaaaaaaa", SPEECH_CLIPS[0]], env),
      /voice voice_a+ does not exist/,
    );

    const id = (await runCli(["voices", "create", "Ada"], env)).stdout.trim();
    await Deno.writeTextFile(`${dir}/notes.wav`, "not audio at all");
    const added = await runCli(
      [
        "voices",
        "add",
        id,
        `${dir}/gone.wav`,
        SPEECH_CLIPS[0],
        `${dir}/notes.wav`,
        SPEECH_CLIPS[1],
      ],
      env,
    );
    assert.equal(added.code, 1, "some files were not added");
    assert.match(added.stdout, /gone\.wav: not added: no such file/);
    assert.match(added.stdout, /notes\.wav: not added: /);
    assert.match(added.stderr, /added 2 samples, 2 not added/);
    assert.doesNotMatch(added.stderr, /Uncaught|\.ts:\d+/);
    const list = await runCli(["voices", "list", "--json"], env);
    assert.equal(JSON.parse(list.stdout)[0].sample_count, 2, "the good files went in");

    const again = await runCli(["voices", "add", id, SPEECH_CLIPS[0]], env);
    assert.match(again.stdout, /not added: .*same audio as sample/);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: service logs without an installed service says so in one line", async () => {
  const home = await Deno.makeTempDir();
  // A fresh HOME, with Deno's module cache where it was (or it downloads everything again).
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir;
  try {
    // Before: "'stdout' is not piped" and a stack trace.
    assertOneLine(
      await runCli(["service", "logs"], {
        HOME: home,
        XDG_CONFIG_HOME: `${home}/.config`,
        DENO_DIR: denoDir,
      }),
      /the service is not installed/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
