/**
 * The CLI's client commands against a real `nobody serve` with its workers: voices with upload
 * and training progress, say, transcribe and personas; and the completion scripts.
 */
import { SPEECH_CLIPS } from "./helpers/fixtures.ts";
import assert from "node:assert/strict";
import { runCli, startServer } from "./helpers/server_process.ts";
import { decodeWavMono } from "../src/audio/wav.ts";

const CLIPS = SPEECH_CLIPS;

Deno.test("cli: voices, samples with progress, training to ready, say and transcribe", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(dir, [], { NOBODY_WORKERS: "true" });
  const env = { NOBODY_DATA_DIR: dir };
  try {
    const created = await runCli(["voices", "create", "Ada", "Lovelace"], env);
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    assert.match(id, /^voice_[a-z2-7]{20}$/);

    const added = await runCli(["voices", "add", id, ...CLIPS], env);
    assert.equal(added.code, 0, added.stderr);
    // Not a terminal: one line per tenth, ending at 100 %.
    assert.match(added.stderr, /\[-+\] {3}0% uploading and analyzing .*Front_Center\.wav/);
    assert.match(added.stderr, /\[#{24}\] 100% added 8 samples/);
    assert.match(added.stdout, /Front_Center\.wav: very short/, "each sample's warnings are shown");

    const refused = await runCli(["voices", "train", id], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /needs the speaker's consent: add --consent/);

    const trained = await runCli(["voices", "train", id, "--consent"], env);
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stderr, /fitting: /);
    assert.match(trained.stderr, /100% trained: the voice is ready/);

    const list = await runCli(["voices", "list"], env);
    assert.match(list.stdout, /^ID\s+NAME\s+STATUS\s+SAMPLES\s+AUDIO\s+TIER$/m);
    assert.match(
      list.stdout,
      new RegExp(`^${id}\\s+Ada Lovelace\\s+ready\\s+8\\s+\\d+\\.\\d s\\s+quick$`, "m"),
    );

    const out = `${dir}/hello.wav`;
    const said = await runCli(
      [
        "say",
        "good morning i would like to record a few sentences",
        "--voice",
        "Ada Lovelace",
        "--out",
        out,
      ],
      env,
    );
    assert.equal(said.code, 0, said.stderr);
    const wav = decodeWavMono(await Deno.readFile(out));
    assert.ok(wav.ok);
    assert.equal(wav.value.sampleRate, 24_000);
    assert.ok(wav.value.samples.length > 24_000, "over a second of speech");

    const heard = await runCli(["transcribe", out], env);
    assert.equal(heard.code, 0, heard.stderr);
    assert.ok(heard.stdout.trim().split(" ").length >= 3, `heard: ${heard.stdout}`);
    const json = await runCli(["transcribe", out, "--format", "json"], env);
    // pocketsphinx adapts its normalization between calls, so the words may differ a little.
    assert.ok(JSON.parse(json.stdout).text.split(" ").length >= 3, json.stdout);

    const personas = await runCli(["personas"], env);
    assert.match(personas.stdout, /no personas yet/);

    const missing = await runCli(["voices", "delete", "voice_aaaaaaaaaaaaaaaaaaaa"], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /voice voice_aaaaaaaaaaaaaaaaaaaa does not exist/);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
  // With nothing running, the commands say how to start it.
  const stopped = await runCli(["voices"], { NOBODY_DATA_DIR: dir });
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /start the service once|not running/);
});

Deno.test("cli: the bash completion script loads and completes commands and actions", async () => {
  const script = await runCli(["completions", "bash"]);
  assert.equal(script.code, 0);
  const probe = `${script.stdout}
COMP_WORDS=(nobody vo); COMP_CWORD=1; _nobody; echo "1:\${COMPREPLY[*]}"
COMP_WORDS=(nobody voices tr); COMP_CWORD=2; _nobody; echo "2:\${COMPREPLY[*]}"
COMP_WORDS=(nobody service --no); COMP_CWORD=2; _nobody; echo "3:\${COMPREPLY[*]}"`;
  const out = await new Deno.Command("bash", { args: ["-c", probe], stdout: "piped" }).output();
  const lines = new TextDecoder().decode(out.stdout);
  assert.match(lines, /^1:voices$/m);
  assert.match(lines, /^2:train/m);
  assert.match(lines, /^3:--no-start$/m);
  for (const shell of ["zsh", "fish"]) {
    const other = await runCli(["completions", shell]);
    assert.equal(other.code, 0);
    assert.match(other.stdout, /say/);
  }
  const bad = await runCli(["completions", "tcsh"]);
  assert.equal(bad.code, 2);
});

Deno.test("cli: completions offer the running service's voice and persona ids and voice names", async () => {
  const dir = await Deno.makeTempDir();
  const env = { NOBODY_DATA_DIR: dir };
  const script = (await runCli(["completions", "bash"], env)).stdout;
  const complete = async (words: string[]) => {
    const probe = `${script}
COMP_WORDS=(${words.map((w) => `"${w}"`).join(" ")}); COMP_CWORD=${words.length - 1}; _nobody
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const out = await new Deno.Command("bash", {
      args: ["-c", probe],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean);
  };
  // With nothing running: no words, and nothing printed into the command line.
  assert.deepEqual(await complete(["nobody", "voices", "train", ""]), []);
  const quiet = await runCli(["complete", "voices"], env);
  assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, "", ""]);

  const server = await startServer(dir);
  try {
    const id = (await runCli(["voices", "create", "Ada", "Lovelace"], env)).stdout.trim();
    await runCli(["voices", "create", "Bob"], env);
    assert.deepEqual(await complete(["nobody", "voices", "train", id.slice(0, -1)]), [id]);
    const all = await complete(["nobody", "voices", "delete", ""]);
    assert.equal(all.length, 2);
    assert.ok(all.includes(id));
    assert.deepEqual(await complete(["nobody", "say", "hello", "--voice", "Ad"]), ["Ada Lovelace"]);
    const persona = await fetch(`${server.url}/personas`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Guide", llm: { provider: "ollama", model: "m" } }),
    });
    const personaId = (await persona.json()).id;
    assert.deepEqual(await complete(["nobody", "personas", "delete", ""]), [personaId]);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
