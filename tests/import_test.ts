/**
 * `nobody import` from the earlier Python version's folder (its personas.yaml as that app wrote
 * it, and voices/<voice>/ sample folders) into a running service: a dry run changes nothing, the
 * import creates voices, samples and personas, a second run changes nothing, an edited YAML is an
 * update, and a persona gets its cloned voice once that voice is trained.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SPEECH_CLIPS } from "./helpers/fixtures.ts";
import { runCli, startServer } from "./helpers/server_process.ts";

/** The earlier app's own personas.yaml layout: a map of personas with hotkeys. */
const PERSONAS_YAML = `default_persona: assistant

personas:
  assistant:
    name: "Assistant"
    hotkey: "cmd+shift+1"
    llm:
      provider: "redpill"
      model: "phala/uncensored-24b"
    voice: "default"
    system_prompt: |
      You are a concise, helpful assistant.

  tutor:
    name: "Tutor"
    hotkey: "cmd+shift+2"
    llm:
      provider: "ollama"
      model: "llama3.1:8b"
    voice: "cloned_tutor"
    system_prompt: |
      You are a patient tutor.

  broken:
    name: "Broken"
    voice: "default"
`;

Deno.test("import: the earlier nobody's personas and voice samples, idempotent, with a dry run", async () => {
  const dir = await Deno.makeTempDir();
  const legacy = `${dir}/old-nobody`;
  await Deno.mkdir(`${legacy}/voices/cloned_tutor`, { recursive: true });
  await Deno.writeTextFile(`${legacy}/personas.yaml`, PERSONAS_YAML);
  for (const clip of SPEECH_CLIPS.slice(0, 3)) {
    await Deno.copyFile(clip, `${legacy}/voices/cloned_tutor/${clip.split("/").pop()}`);
  }
  await Deno.writeTextFile(`${legacy}/voices/cloned_tutor/notes.txt`, "not a sample");
  const data = `${dir}/data`;
  const env = { NOBODY_DATA_DIR: data };
  const server = await startServer(data);
  const api = async (path: string) =>
    await (await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${server.token}` },
    })).json();
  try {
    const dry = await runCli(["import", legacy, "--dry-run"], env);
    assert.equal(dry.code, 1, "the broken persona is reported");
    assert.match(dry.stdout, /^would create voice "cloned_tutor"$/m);
    assert.equal(dry.stdout.match(/^would add sample cloned_tutor\//gm)?.length, 3);
    assert.match(
      dry.stdout,
      /^would create persona "Assistant" \(redpill phala\/uncensored-24b\)$/m,
    );
    assert.match(dry.stdout, /^would create persona "Tutor" .*voice "cloned_tutor"/m);
    assert.match(dry.stdout, /^skip persona "broken": needs llm\.provider and llm\.model/m);
    assert.match(dry.stdout, /hotkey cmd\+shift\+2 is not imported/);
    assert.match(dry.stdout, /6 changes would be made/);
    assert.deepEqual((await api("/voices")).voices, [], "a dry run changes nothing");
    assert.deepEqual((await api("/personas")).personas, []);

    const first = await runCli(["import", legacy], env);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stdout, /imported: 6 changes/);
    const [voice] = (await api("/voices")).voices;
    assert.equal(voice.name, "cloned_tutor");
    assert.equal(voice.sample_count, 3);
    const personas = (await api("/personas")).personas;
    assert.deepEqual(personas.map((p: { name: string }) => p.name).sort(), ["Assistant", "Tutor"]);
    const tutor = personas.find((p: { name: string }) => p.name === "Tutor");
    assert.deepEqual(tutor.llm, {
      provider: "ollama",
      model: "llama3.1:8b",
      base_url: null,
      temperature: null,
      think: null,
    });
    assert.equal(tutor.system_prompt, "You are a patient tutor.");
    assert.equal(tutor.voice_id, null, "an untrained voice is not given to a persona");

    // Again: nothing changes.
    const second = await runCli(["import", legacy], env);
    assert.match(second.stdout, /nothing to import: everything is already there/);
    assert.doesNotMatch(second.stdout, /^(create|add|update)/m);
    assert.equal((await api("/voices")).voices[0].sample_count, 3);

    // An edited YAML is an update of that persona only.
    await Deno.writeTextFile(
      `${legacy}/personas.yaml`,
      PERSONAS_YAML.replace("llama3.1:8b", "qwen3:4b"),
    );
    const third = await runCli(["import", legacy], env);
    assert.match(third.stdout, /^update persona "Tutor": model llama3\.1:8b -> qwen3:4b/m);
    assert.match(third.stdout, /imported: 1 change$/m);

    // Once the voice is trained (as a finished job leaves it), importing again gives it to Tutor.
    const db = new DatabaseSync(`${data}/nobody.db`);
    db.prepare("UPDATE voices SET status = 'ready' WHERE id = ?").run(voice.id);
    db.close();
    const fourth = await runCli(["import", legacy], env);
    assert.match(fourth.stdout, /^update persona "Tutor": voice$/m);
    const linked = (await api("/personas")).personas.find((p: { name: string }) =>
      p.name === "Tutor"
    );
    assert.equal(linked.voice_id, voice.id);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("import: a missing folder or bad YAML is one clear line", async () => {
  const dir = await Deno.makeTempDir();
  const env = { NOBODY_DATA_DIR: `${dir}/data` };
  const server = await startServer(`${dir}/data`);
  try {
    const missing = await runCli(["import", `${dir}/nope`], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr.trim(), /^nobody: .*nope: no such file or folder$/);
    await Deno.writeTextFile(`${dir}/personas.yaml`, "personas:\n  a: [unclosed\n");
    const bad = await runCli(["import", dir], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr.trim(), /^nobody: .*personas\.yaml is not valid YAML/);
    assert.doesNotMatch(bad.stderr, /\.ts:\d+/);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
