/**
 * @module
 * CLI commands that drive the running service: `say`, `transcribe`, `voices` and `personas`.
 */
import { NobodyError } from "../domain/errors.ts";
import { wavHeader16 } from "../audio/wav.ts";
import type { ApiClient } from "./api_client.ts";
import { progress } from "./progress.ts";
import { sseEvents } from "./sse_lines.ts";

export interface ClientIo {
  print(line: string): void;
  /** Plays a WAV file on the speaker (the `play` command). */
  play(file: string): Promise<number>;
}

const RATE = 24_000;

export async function sayCommand(
  api: ApiClient,
  text: string,
  options: { voice?: string; out?: string; speed?: number },
  io: ClientIo,
): Promise<number> {
  // Before the speech is made: a path that cannot be written fails now, not after the wait.
  if (options.out) await checkWritable(options.out);
  const response = await api.request("/v1/audio/speech", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "nobody",
      input: text,
      voice: options.voice ?? "default",
      response_format: "pcm",
      ...(options.speed === undefined ? {} : { speed: options.speed }),
    }),
  });
  const chunks: BlobPart[] = [];
  let bytes = 0;
  const bar = progress();
  for await (const chunk of response.body!) {
    chunks.push(chunk as Uint8Array<ArrayBuffer>);
    bytes += chunk.length;
    // The length of the speech is unknown until it ends: the bar shows seconds made so far.
    bar.update(0, `synthesizing: ${(bytes / 2 / RATE).toFixed(1)} s of speech`);
  }
  // The service's PCM is already 16-bit mono: the WAV is its header and the bytes as they came.
  const pcm = new Uint8Array(await new Blob(chunks).arrayBuffer()).subarray(0, bytes & ~1);
  bar.done(`${(pcm.length / 2 / RATE).toFixed(1)} s of speech`);
  const wav = new Uint8Array(44 + pcm.length);
  wav.set(wavHeader16(RATE, pcm.length));
  wav.set(pcm, 44);
  if (options.out) {
    try {
      await Deno.writeFile(options.out, wav);
    } catch (error) {
      throw new NobodyError(
        "invalid_request",
        `cannot write ${options.out}: ${fileProblem(error)}`,
      );
    }
    io.print(`wrote ${options.out}`);
    return 0;
  }
  const temp = await Deno.makeTempFile({ suffix: ".wav" });
  try {
    await Deno.writeFile(temp, wav);
    return await io.play(temp);
  } finally {
    await Deno.remove(temp).catch(() => {});
  }
}

export async function transcribeCommand(
  api: ApiClient,
  file: string,
  options: { format: string },
  io: ClientIo,
): Promise<number> {
  const form = new FormData();
  form.append("file", await audioFile(file), file.split("/").pop()!);
  form.append("model", "nobody");
  form.append("response_format", options.format);
  const response = await api.request("/v1/audio/transcriptions", { method: "POST", body: form });
  io.print((await response.text()).trimEnd());
  return 0;
}

/** A file to upload, read whole (samples and clips are small); a missing one says so. */
async function audioFile(path: string): Promise<Blob> {
  try {
    return new Blob([await Deno.readFile(path)]);
  } catch (error) {
    throw new NobodyError("invalid_request", `${path}: ${fileProblem(error)}`);
  }
}

function fileProblem(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a folder, not a file";
  return error instanceof Error ? error.message : String(error);
}

/** The folder of `path` exists and is a folder: `say --out` can write there. */
async function checkWritable(path: string): Promise<void> {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".";
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch {
    throw new NobodyError(
      "invalid_request",
      `cannot write ${path}: the folder ${dir} does not exist`,
    );
  }
  if (!info.isDirectory) {
    throw new NobodyError("invalid_request", `cannot write ${path}: ${dir} is not a folder`);
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

interface VoiceRow {
  id: string;
  name: string;
  status: string;
  sample_count: number;
  total_sample_ms: number;
  tier: string;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd());
}

export async function voicesCommand(
  api: ApiClient,
  args: string[],
  options: { consent: boolean; description?: string; json: boolean },
  io: ClientIo,
): Promise<number> {
  const [action = "list", ...rest] = args;
  const need = (n: number, what: string) => {
    if (rest.length < n) throw new NobodyError("invalid_request", `voices ${action} takes ${what}`);
  };
  switch (action) {
    case "list": {
      const { voices } = await api.json<{ voices: VoiceRow[] }>("/voices");
      if (options.json) io.print(JSON.stringify(voices, null, 2));
      else if (voices.length === 0) io.print("no voices yet: nobody voices create NAME");
      else {
        table([
          ["ID", "NAME", "STATUS", "SAMPLES", "AUDIO", "TIER"],
          ...voices.map((v) => [
            v.id,
            v.name,
            v.status,
            String(v.sample_count),
            `${(v.total_sample_ms / 1000).toFixed(1)} s`,
            v.tier,
          ]),
        ]).forEach((line) => io.print(line));
      }
      return 0;
    }
    case "create": {
      need(1, "a name");
      const voice = await api.json<VoiceRow>("/voices", "POST", {
        name: rest.join(" "),
        ...(options.description ? { description: options.description } : {}),
      });
      io.print(voice.id);
      return 0;
    }
    case "delete": {
      need(1, "a voice id");
      await api.json(`/voices/${rest[0]}`, "DELETE");
      io.print(`deleted ${rest[0]}`);
      return 0;
    }
    case "add": {
      need(2, "a voice id and audio files");
      const [id, ...files] = rest;
      await api.json(`/voices/${id}`); // a wrong voice id fails once, not once per file
      const bar = progress();
      const failed: string[] = [];
      for (const [i, file] of files.entries()) {
        bar.update(i / files.length, `uploading and analyzing ${file}`);
        try {
          const form = new FormData();
          form.append("file", await audioFile(file), file.split("/").pop()!);
          const sample = await (await api.request(`/voices/${id}/samples`, {
            method: "POST",
            body: form,
          })).json() as { quality: { warnings: string[] } | null };
          for (const warning of sample.quality?.warnings ?? []) io.print(`  ${file}: ${warning}`);
        } catch (error) {
          // One bad file is reported and the rest still go in.
          if (
            !(error instanceof NobodyError || error instanceof Deno.errors.NotFound ||
              error instanceof Deno.errors.PermissionDenied ||
              error instanceof Deno.errors.IsADirectory)
          ) throw error;
          failed.push(file);
          const why = error instanceof NobodyError ? error.message : fileProblem(error);
          io.print(`  ${file}: not added: ${why.replace(`${file}: `, "")}`);
        }
      }
      const added = files.length - failed.length;
      bar.done(
        `added ${plural(added, "sample")}${failed.length ? `, ${failed.length} not added` : ""}`,
      );
      return failed.length === 0 ? 0 : 1;
    }
    case "train":
      need(1, "a voice id");
      return await trainCommand(api, rest[0], options.consent, io);
    default:
      throw new NobodyError(
        "invalid_request",
        `unknown voices action "${action}" (list, create, delete, add, train)`,
      );
  }
}

/** Starts training and follows its progress on /events until the job finishes. */
async function trainCommand(
  api: ApiClient,
  voiceId: string,
  consent: boolean,
  io: ClientIo,
): Promise<number> {
  if (!consent) {
    throw new NobodyError(
      "invalid_request",
      "cloning a voice needs the speaker's consent: add --consent once they agreed",
    );
  }
  // Subscribed before the job starts, so no progress is missed.
  const abort = new AbortController();
  const events = await api.request("/events", { signal: abort.signal });
  try {
    const job = await api.json<{ id: string }>(`/voices/${voiceId}/train`, "POST", { consent });
    const bar = progress();
    for await (const event of sseEvents(events.body!, abort.signal)) {
      if (event.job_id !== job.id) continue;
      if (event.type === "training_progress") {
        bar.update(Number(event.percent) / 100, `${event.stage}: ${event.message}`);
      } else if (event.type === "training_finished") {
        if (event.status === "succeeded") {
          bar.done("trained: the voice is ready");
          return 0;
        }
        io.print(`training ${event.status}: ${event.message}`);
        return 1;
      }
    }
    throw new NobodyError("unavailable", "the service closed the event stream during training");
  } finally {
    abort.abort();
  }
}

export async function personasCommand(
  api: ApiClient,
  args: string[],
  options: { json: boolean },
  io: ClientIo,
): Promise<number> {
  const [action = "list", id] = args;
  if (action === "list") {
    const { personas } = await api.json<
      {
        personas: {
          id: string;
          name: string;
          llm: { provider: string; model: string };
          voice_id: string | null;
        }[];
      }
    >("/personas");
    if (options.json) io.print(JSON.stringify(personas, null, 2));
    else if (personas.length === 0) {
      io.print("no personas yet: create one in the dashboard (nobody ui --open)");
    } else {
      table([
        ["ID", "NAME", "LLM", "VOICE"],
        ...personas.map((
          p,
        ) => [p.id, p.name, `${p.llm.provider}/${p.llm.model}`, p.voice_id ?? "default"]),
      ]).forEach((line) => io.print(line));
    }
    return 0;
  }
  if (action === "delete" && id) {
    await api.json(`/personas/${id}`, "DELETE");
    io.print(`deleted ${id}`);
    return 0;
  }
  throw new NobodyError("invalid_request", `personas takes "list" or "delete ID"`);
}

/**
 * The words a shell completion asks for, one a line. A completion must never print an error
 * into the user's command line: a service that is down or slow gives no words.
 */
export async function completeCommand(
  api: () => Promise<ApiClient>,
  what: "voices" | "voice-names" | "personas",
  io: ClientIo,
): Promise<number> {
  try {
    const client = await api();
    if (what === "personas") {
      const { personas } = await client.json<{ personas: { id: string }[] }>("/personas");
      for (const p of personas) io.print(p.id);
    } else {
      const { voices } = await client.json<{ voices: VoiceRow[] }>("/voices");
      for (const v of voices) io.print(what === "voices" ? v.id : v.name);
    }
  } catch {
    // no words
  }
  return 0;
}
