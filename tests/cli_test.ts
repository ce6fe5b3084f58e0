/**
 * The command line as a person uses it: help, errors with non-zero exits, config mistakes that
 * name the key, doctor, token.
 */
import assert from "node:assert/strict";
import { runCli, startServer } from "./helpers/server_process.ts";

Deno.test("cli: help for the program and each command", async () => {
  const main = await runCli(["--help"]);
  assert.equal(main.code, 0);
  for (const command of ["serve", "doctor", "token", "ui"]) {
    assert.match(main.stdout, new RegExp(`\\n  ${command} `));
  }
  for (const command of ["serve", "doctor", "token", "ui"]) {
    const help = await runCli([command, "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, new RegExp(`^Usage: nobody ${command}`));
  }
  assert.match((await runCli(["help", "serve"])).stdout, /--port PORT/);
});

Deno.test("cli: usage mistakes exit 2 with a message", async () => {
  const unknown = await runCli(["serv"]);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /nobody: unknown command "serv"; commands: serve, doctor, token, ui/,
  );
  const option = await runCli(["serve", "--prot", "1"]);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /Unknown option '--prot'[\s\S]*nobody help serve/);
});

Deno.test("cli: an invalid config value is named with its source and nothing starts", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const env = await runCli(["serve", "--data-dir", dataDir], { NOBODY_PORT: "many" });
    assert.equal(env.code, 1);
    assert.match(
      env.stderr,
      /nobody: config: server\.port must be an integer from 0 to 65535 \(got "many"\) from environment variable NOBODY_PORT/,
    );

    await Deno.writeTextFile(`${dataDir}/config.toml`, '[server]\nhost = "0.0.0.0"\n');
    const file = await runCli(["serve", "--data-dir", dataDir]);
    assert.equal(file.code, 1);
    assert.match(
      file.stderr,
      new RegExp(`server\\.host must be a loopback address.* from ${dataDir}/config\\.toml`),
    );
    await assert.rejects(Deno.stat(`${dataDir}/nobody.db`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("cli: doctor passes on this machine and fails clearly when python is missing", async () => {
  const ok = await runCli(["doctor"]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  for (
    const part of [
      "deno",
      "libportaudio",
      "python",
      "python module grpc",
      "espeak-ng",
      "pocketsphinx en-us model",
      "uv",
      "ollama",
    ]
  ) {
    assert.match(ok.stdout, new RegExp(`(ok|warn) +${part} `), part);
  }
  assert.match(ok.stdout, /nobody is ready/);

  const broken = await runCli(["doctor"], {
    NOBODY_PYTHON: "/nonexistent/python3",
    NOBODY_PORTAUDIO_LIB: "/nonexistent/libportaudio.so",
  });
  assert.equal(broken.code, 1);
  assert.match(
    broken.stdout,
    /FAIL python +\/nonexistent\/python3: not found\n +fix: sudo apt-get install python3/,
  );
  assert.match(broken.stdout, /FAIL libportaudio[\s\S]*fix: sudo apt-get install libportaudio2/);
  assert.match(broken.stdout, /required parts are missing/);
});

Deno.test("cli: doctor --engines runs a real round trip through the installed engines", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const out = await runCli(["doctor", "--engines", "--data-dir", dataDir]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(
      out.stdout,
      /ok +text-to-speech engine +eSpeak NG.*passed over: pocket: not installed/,
    );
    assert.match(out.stdout, /ok +speech-to-text engine +pocketsphinx/);
    assert.match(
      out.stdout,
      /ok +speak +first audio \d+ ms, [\d.]+ s of speech in \d+ ms \(real-time factor [\d.]+\)/,
    );
    assert.match(
      out.stdout,
      /ok +transcribe it back +\d+ ms \(real-time factor [\d.]+\), word accuracy \d+ %: "[a-z' ]+"/,
    );
    assert.match(
      out.stdout,
      /ok +clone a voice +trained in \d+ ms; the clone's first audio \d+ ms/,
    );
    // The check runs in a temp folder of its own: the user's data dir gets nothing.
    assert.deepEqual([...Deno.readDirSync(dataDir)], []);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("cli: token and ui print what a client needs; a busy port is explained", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const none = await runCli(["token", "--data-dir", dataDir]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no API token .* start the service once/);

    const server = await startServer(dataDir);
    try {
      const token = await runCli(["token", "--data-dir", dataDir]);
      assert.equal(token.stdout.trim(), server.token);
      const ui = await runCli(["ui", "--data-dir", dataDir]);
      assert.match(ui.stdout.trim(), new RegExp(`^${server.url}/ui/login\\?code=[0-9a-f]{32}$`));
      assert.ok(!ui.stdout.includes(server.token), "the token is in no URL");
      const login = await fetch(ui.stdout.trim(), { redirect: "manual" });
      assert.equal(login.status, 303);
      await login.body?.cancel();
      const replay = await fetch(ui.stdout.trim(), { redirect: "manual" });
      assert.equal(replay.status, 401, "the link signs in once");
      await replay.body?.cancel();

      const busy = await runCli(["serve", "--data-dir", dataDir, "--port", String(server.port)]);
      assert.equal(busy.code, 1);
      assert.match(
        busy.stderr,
        new RegExp(
          `port ${server.port} on 127\\.0\\.0\\.1 is in use; is nobody already running\\?`,
        ),
      );
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
