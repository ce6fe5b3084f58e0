/**
 * Data safety as an unlucky user meets it: a deleted or damaged database, a full disk, a read-only
 * data dir, another local user, a trainer that fails. Each test names the defect it guards.
 */
import assert from "node:assert/strict";
import { expectError, multipart, withCore } from "./helpers/core_harness.ts";
import { runCli, startServer } from "./helpers/server_process.ts";
import { distinctCopy, SPEECH_CLIPS, SPEECH_WAV } from "./helpers/fixtures.ts";
import { waitUntil } from "./helpers/wait.ts";
import { openDatabase } from "../src/adapters/sqlite/database.ts";

const speech = await Deno.readFile(SPEECH_WAV);

async function tempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nobody-safety-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Files below `dir`, as paths relative to it. */
function tree(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  try {
    for (const entry of Deno.readDirSync(`${dir}/${prefix}`)) {
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory) out.push(...tree(dir, `${path}/`));
      else out.push(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out.sort();
}

async function voiceWithSample(dataDir: string): Promise<{ voiceId: string; sampleId: string }> {
  let ids = { voiceId: "", sampleId: "" };
  await withCore(async (h) => {
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    const sample = await (await h.request(`/voices/${voice.id}/samples`, {
      method: "POST",
      body: multipart("file", speech, "a.wav"),
    })).json();
    ids = { voiceId: voice.id, sampleId: sample.id };
  }, { dataDir });
  return ids;
}

// Defect: a missing or empty nobody.db made the start-up sweep delete every voice's audio.
for (const loss of ["deleted", "emptied"] as const) {
  Deno.test(`data safety: a ${loss} database quarantines the voices' audio, never deletes it`, () =>
    tempDir(async (dataDir) => {
      const { voiceId, sampleId } = await voiceWithSample(dataDir);
      for (const suffix of ["", "-wal", "-shm"]) {
        await Deno.remove(`${dataDir}/nobody.db${suffix}`).catch(() => {});
      }
      if (loss === "emptied") await Deno.writeFile(`${dataDir}/nobody.db`, new Uint8Array(0));

      let logs: string[] = [];
      await withCore(async (h) => {
        assert.deepEqual((await (await h.request("/voices")).json()).voices, []);
        logs = h.logs;
      }, { dataDir });
      const kept = tree(`${dataDir}/quarantine`);
      const original = kept.find((p) => p.endsWith(`voices/${voiceId}/samples/${sampleId}.wav`));
      assert.ok(original, `the original is in quarantine: ${kept.join(", ")}`);
      assert.deepEqual(await Deno.readFile(`${dataDir}/quarantine/${original}`), speech);
      assert.ok(logs.some((l) => l.includes("quarantine")), "the log says where it went");

      const doctor = await runCli(["doctor", "--data-dir", dataDir]);
      assert.match(doctor.stdout, /quarantine\s+1 file .* in .*quarantine/);
    }));
}

// Defect: a damaged database crashed the start with an uncaught stack trace.
const damage: Record<string, (path: string) => Promise<void>> = {
  "a garbage header": async (path) => {
    const bytes = await Deno.readFile(path);
    bytes.set(new TextEncoder().encode("garbage garbage!"), 0);
    await Deno.writeFile(path, bytes);
  },
  "a text file": (path) => Deno.writeTextFile(path, "voices: Ada, Bob\n".repeat(400)),
  "a truncated file": async (path) => {
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2) + 100));
  },
  "a bad page": async (path) => {
    const bytes = await Deno.readFile(path);
    // Page 2 onwards hold the tables: scribble over a b-tree page header.
    const pageSize = (bytes[16] << 8) | bytes[17];
    for (let i = 0; i < 64; i++) bytes[pageSize * 2 + i] = 0xa5;
    await Deno.writeFile(path, bytes);
  },
};
for (const [what, hurt] of Object.entries(damage)) {
  Deno.test(`data safety: a database with ${what} is refused with a way to recover`, () =>
    tempDir(async (dataDir) => {
      await voiceWithSample(dataDir);
      // Checkpoint so the file itself holds every page, then damage it.
      const db = openDatabase(`${dataDir}/nobody.db`);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      db.close();
      await hurt(`${dataDir}/nobody.db`);
      const before = await Deno.readFile(`${dataDir}/nobody.db`);
      const out = await runCli(["serve", "--port", "0", "--data-dir", dataDir], {
        NOBODY_WORKERS: "false",
      });
      assert.equal(out.code, 1, out.stdout + out.stderr);
      assert.match(
        out.stderr,
        /^nobody: the database .*nobody\.db is damaged \(.+\); nothing was changed/,
      );
      assert.match(out.stderr, /To recover: stop nobody and run `sqlite3/);
      assert.doesNotMatch(out.stderr, /\n\s+at /, "no stack trace");
      assert.deepEqual(await Deno.readFile(`${dataDir}/nobody.db`), before, "left as it was");
      assert.ok(tree(`${dataDir}/voices`).length > 0, "the audio is still there");
    }));
}

// Defect: an existing 0755 data dir was not tightened and nobody.db, -wal, -shm were 0644.
Deno.test("data safety: the data dir is 0700 and every file in it 0600, the WAL included", () =>
  tempDir(async (dataDir) => {
    await Deno.chmod(dataDir, 0o755);
    await Deno.writeTextFile(`${dataDir}/config.toml`, "", { mode: 0o644 });
    await Deno.chmod(`${dataDir}/config.toml`, 0o644);
    const previous = Deno.umask(0o022);
    try {
      const server = await startServer(dataDir);
      try {
        const response = await fetch(`${server.url}/personas`, {
          method: "POST",
          headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
          body: JSON.stringify({
            name: "Secret",
            systemPrompt: "the user's private instructions",
            llm: { provider: "ollama", model: "llama3.2" },
          }),
        });
        assert.equal(response.status, 201, await response.text());
        assert.equal((await Deno.stat(dataDir)).mode! & 0o777, 0o700);
        const files = tree(dataDir);
        for (
          const name of ["nobody.db", "nobody.db-wal", "nobody.db-shm", "token", "config.toml"]
        ) {
          assert.ok(files.includes(name), `${name} exists: ${files.join(", ")}`);
        }
        for (const file of files) {
          const mode = (await Deno.lstat(`${dataDir}/${file}`)).mode! & 0o777;
          assert.equal(mode & 0o077, 0, `${file} is ${mode.toString(8)}`);
        }
      } finally {
        await server.stop();
      }
    } finally {
      Deno.umask(previous);
    }
  }));

// Defect: a trainer failure stored the sample with quality null and a 201, silently.
Deno.test("data safety: a sample the trainer fails on is stored marked unanalyzed, with the reason", () =>
  withCore(async (h) => {
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    const response = await h.request(`/voices/${voice.id}/samples`, {
      method: "POST",
      body: multipart("file", speech, "a.wav"),
    });
    assert.equal(response.status, 201);
    const sample = await response.json();
    assert.equal(sample.quality, null);
    assert.match(sample.analysis_error, /could not analyze it: the ML workers are disabled/);
    const detail = await (await h.request(`/voices/${voice.id}`)).json();
    assert.ok(
      detail.report.warnings.some((w: string) =>
        w.includes("not analyzed") && w.includes("disabled")
      ),
      detail.report.warnings.join("\n"),
    );
  }));

async function withTmpfs(sizeKb: number, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nobody-tmpfs-" });
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${sizeKb}k,mode=0700`, "tmpfs", dir],
    stderr: "piped",
  }).output();
  assert.equal(mount.code, 0, new TextDecoder().decode(mount.stderr));
  try {
    await fn(dir);
  } finally {
    await new Deno.Command("umount", { args: ["-l", dir] }).output();
    await Deno.remove(dir, { recursive: true });
  }
}

const root = Deno.uid() === 0;

// Defect: on a full disk uploads, training and deleting answered 500 "internal error", and the
// log hid SQLITE_FULL behind "cannot rollback - no transaction is active".
Deno.test({
  name: "data safety: a full disk is 507 insufficient_storage, and deleting still frees space",
  ignore: !root, // mounting a small tmpfs needs root, which CI has
  fn: () =>
    withTmpfs(3072, (dataDir) =>
      withCore(async (h) => {
        const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
        const stored: string[] = [];
        let full: Response | null = null;
        for (let i = 0; i < 60 && full === null; i++) {
          const response = await h.request(`/voices/${voice.id}/samples`, {
            method: "POST",
            body: multipart("file", distinctCopy(speech, i), `take${i}.wav`),
          });
          if (response.status === 201) stored.push((await response.json()).id);
          else full = response;
        }
        assert.ok(full, "the disk filled up");
        const error = await expectError(full, 507, "insufficient_storage");
        assert.match(error.message, /disk .* is full/);
        // Fill what is left to the last byte, so SQLite itself has no room.
        const filler = await Deno.open(`${dataDir}/filler`, { write: true, create: true });
        try {
          while (true) await filler.write(new Uint8Array(4096));
        } catch {
          // full
        } finally {
          filler.close();
        }
        await expectError(
          await h.json(`/voices`, "POST", { name: "Bob" + "x".repeat(60) }),
          507,
          "insufficient_storage",
        );
        assert.ok(stored.length * 1.4 > 10, "enough audio to train");
        await expectError(
          await h.json(`/voices/${voice.id}/train`, "POST", { consent: true }),
          507,
          "insufficient_storage",
        );
        for (const id of stored.slice(0, 2)) {
          const deleted = await h.request(`/voices/${voice.id}/samples/${id}`, {
            method: "DELETE",
          });
          assert.equal(deleted.status, 204, await deleted.text());
        }
        const list = await (await h.request(`/voices/${voice.id}/samples`)).json();
        assert.deepEqual(list.samples.map((s: { id: string }) => s.id), stored.slice(2));
        assert.ok(!h.logs.some((l) => l.includes("cannot rollback")), "no masked error");
        await Deno.remove(`${dataDir}/filler`);
        const again = await h.request(`/voices/${voice.id}/samples`, {
          method: "POST",
          body: multipart("file", speech, "after.wav"),
        });
        assert.equal(again.status, 201, "space freed, uploads work again");
      }, { dataDir })),
});

// Defect: a read-only data dir at start crashed with a stack trace.
Deno.test({
  name: "data safety: a read-only data dir stops the start with one nobody: line",
  ignore: !root,
  fn: () =>
    withTmpfs(1024, async (dataDir) => {
      await voiceWithSample(dataDir);
      const remount = await new Deno.Command("mount", {
        args: ["-o", "remount,ro", dataDir],
      }).output();
      assert.equal(remount.code, 0);
      const out = await runCli(["serve", "--port", "0", "--data-dir", dataDir], {
        NOBODY_WORKERS: "false",
      });
      assert.equal(out.code, 1);
      assert.match(out.stderr, /^nobody: the data dir .* is not writable \(.+\)/);
      assert.doesNotMatch(out.stderr, /\n\s+at /, "no stack trace");
    }),
});

// Defect: an upload whose client went away still committed a minute later.
for (const when of ["while it streams", "during its analysis"] as const) {
  Deno.test(`data safety: an upload abandoned ${when} stores nothing`, () =>
    tempDir(async (dir) => {
      // Three minutes of speech: the analysis and transcript take seconds, the window to leave in.
      const long = `${dir}/long.wav`;
      const sox = await new Deno.Command("sox", {
        args: [...SPEECH_CLIPS, long, "repeat", "14"],
      }).output();
      assert.equal(sox.code, 0);
      const server = await startServer(`${dir}/data`, [], { NOBODY_WORKERS: "true" });
      try {
        const headers = { authorization: `Bearer ${server.token}` };
        const voice = await (await fetch(`${server.url}/voices`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ name: "Ada" }),
        })).json();
        const leave = new AbortController();
        const upload = fetch(`${server.url}/voices/${voice.id}/samples`, {
          method: "POST",
          headers,
          body: multipart("file", await Deno.readFile(long), "long.wav"),
          signal: leave.signal,
        }).catch((error) => error);
        const stored = () => [
          ...tree(`${dir}/data/tmp/uploads`),
          ...tree(`${dir}/data/voices/${voice.id}`),
        ];
        // The body streams into a .partial temp file, renamed to .upload once it is whole.
        const mark = when === "while it streams" ? ".partial" : ".upload";
        await waitUntil(`a ${mark} file`, () => stored().some((f) => f.endsWith(mark)), {
          everyMs: 2,
        });
        leave.abort();
        assert.ok((await upload) instanceof Error, "the client gave up");
        await waitUntil(
          "the service to log that it dropped the upload",
          () => server.stderrTail().includes("upload abandoned by its client"),
          { ms: 60_000 },
        );
        const list = await (await fetch(`${server.url}/voices/${voice.id}/samples`, { headers }))
          .json();
        assert.deepEqual(list.samples, [], "no sample row");
        // The trainer stops at its next block and removes its partial copy.
        await waitUntil("no file left", () => stored().length === 0, { ms: 10_000 });
      } finally {
        await server.stop();
      }
    }));
}

// Found in review: a form whose file part was fine but whose rest was bad left the staged upload
// on disk until the next start.
Deno.test("data safety: a form that goes bad after its file part leaves no staged upload", () =>
  withCore(async (h) => {
    const voice = await (await h.json("/voices", "POST", { name: "Ada" })).json();
    const head = (name: string, file = "") =>
      `--B\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n`;
    const body = new Uint8Array([
      ...new TextEncoder().encode(head("file", '; filename="a.wav"')),
      ...speech,
      ...new TextEncoder().encode(`\r\n${head("note")}${"x".repeat(70_000)}\r\n--B--\r\n`),
    ]);
    for (const path of [`/voices/${voice.id}/samples`, "/v1/audio/transcriptions"]) {
      const response = await h.request(path, {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=B" },
        body,
      });
      await expectError(response, 400, "invalid_request");
      assert.deepEqual(tree(`${h.dataDir}/tmp`), [], `${path}: nothing staged is left`);
    }
    assert.deepEqual((await (await h.request(`/voices/${voice.id}/samples`)).json()).samples, []);
  }));
