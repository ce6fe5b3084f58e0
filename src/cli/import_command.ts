/**
 * @module
 * `nobody import DIR [--dry-run]`: brings the earlier Python version's personas and voice
 * samples into the running service. Idempotent: voices and personas are matched by name, a sample
 * already stored (same bytes) is not added again, and a persona that matches is left alone, so
 * running it twice changes nothing. `--dry-run` prints what would change and changes nothing.
 */
import { createHash } from "node:crypto";
import { NobodyError } from "../domain/errors.ts";
import type { LegacyPersona, LegacyProject } from "../adapters/files/legacy_project.ts";
import type { ApiClient } from "./api_client.ts";
import type { ClientIo } from "./client_commands.ts";

interface VoiceRow {
  id: string;
  name: string;
  status: string;
}

interface PersonaRow {
  id: string;
  name: string;
  system_prompt: string;
  llm: {
    provider: string;
    model: string;
    base_url: string | null;
    temperature: number | null;
    think: boolean | null;
  };
  voice_id: string | null;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export async function importCommand(
  api: ApiClient,
  project: LegacyProject,
  options: { dryRun: boolean },
  io: ClientIo,
): Promise<number> {
  const would = options.dryRun ? "would " : "";
  let changes = 0;
  let failures = project.problems.length;
  for (const problem of project.problems) io.print(`skip ${problem}`);

  // Voices first: a persona can only name a voice that exists.
  const voices = (await api.json<{ voices: VoiceRow[] }>("/voices")).voices;
  for (const legacy of project.voices) {
    let voice = voices.find((v) => same(v.name, legacy.name)) ?? null;
    if (!voice) {
      changes++;
      io.print(`${would}create voice "${legacy.name}"`);
      if (!options.dryRun) {
        voice = await api.json<VoiceRow>("/voices", "POST", {
          name: legacy.name,
          description: "imported from the earlier nobody",
        });
        voices.push(voice);
      }
    }
    const stored = voice ? await storedDigests(api, voice.id) : new Set<string>();
    for (const file of legacy.files) {
      const label = `${legacy.name}/${file.split("/").pop()}`;
      const bytes = await Deno.readFile(file);
      if (stored.has(sha256(bytes))) continue; // already imported
      if (options.dryRun || !voice) {
        changes++;
        io.print(`${would}add sample ${label}`);
        continue;
      }
      const added = await addSample(api, voice.id, file, bytes);
      if (added === "added") {
        changes++;
        io.print(`add sample ${label}`);
      } else if (added !== "duplicate") {
        failures++;
        io.print(`skip sample ${label}: ${added}`);
      }
    }
  }

  const personas = (await api.json<{ personas: PersonaRow[] }>("/personas")).personas;
  for (const legacy of project.personas) {
    const { voiceId, note } = voiceFor(legacy, voices);
    const existing = personas.find((p) => same(p.name, legacy.name));
    const body = personaBody(legacy, existing, voiceId);
    if (existing) {
      const changed = differences(existing, body);
      if (changed.length === 0) continue;
      changes++;
      io.print(`${would}update persona "${legacy.name}": ${changed.join(", ")}${note}`);
      if (!options.dryRun) await api.json(`/personas/${existing.id}`, "PUT", body);
    } else {
      changes++;
      io.print(
        `${would}create persona "${legacy.name}" (${legacy.provider} ${legacy.model})${note}`,
      );
      if (!options.dryRun) {
        try {
          await api.json("/personas", "POST", body);
        } catch (error) {
          if (!(error instanceof NobodyError)) throw error;
          failures++;
          io.print(`skip persona "${legacy.name}": ${error.message}`);
        }
      }
    }
    if (legacy.hotkey) {
      io.print(
        `  its hotkey ${legacy.hotkey} is not imported: the Hammerspoon Spoon binds keys (integrations/hammerspoon)`,
      );
    }
  }
  io.print(
    changes === 0
      ? "nothing to import: everything is already there"
      : options.dryRun
      ? `${changes} change${
        changes === 1 ? "" : "s"
      } would be made; run without --dry-run to make them`
      : `imported: ${changes} change${changes === 1 ? "" : "s"}`,
  );
  return failures === 0 ? 0 : 1;
}

/** The voice a persona gets: a trained voice of that name, else the default with a reason. */
function voiceFor(
  legacy: LegacyPersona,
  voices: readonly VoiceRow[],
): { voiceId: string | null; note: string } {
  if (!legacy.voice) return { voiceId: null, note: "" };
  const voice = voices.find((v) => same(v.name, legacy.voice!));
  if (!voice) {
    return { voiceId: null, note: `; no voice "${legacy.voice}" here, so the default voice` };
  }
  if (voice.status === "ready") return { voiceId: voice.id, note: "" };
  return {
    voiceId: null,
    note: `; voice "${legacy.voice}" is not trained yet: train it ` +
      `(nobody voices train ${voice.id} --consent), then import again to give it this voice`,
  };
}

function personaBody(
  legacy: LegacyPersona,
  existing: PersonaRow | undefined,
  voiceId: string | null,
) {
  return {
    name: legacy.name,
    system_prompt: legacy.systemPrompt,
    llm: {
      provider: legacy.provider,
      model: legacy.model,
      base_url: legacy.baseUrl,
      // What the old app did not have stays as it is here.
      temperature: existing?.llm.temperature ?? null,
      think: existing?.llm.think ?? null,
    },
    // A voice chosen here is kept when the old one cannot speak yet.
    voice_id: voiceId ?? existing?.voice_id ?? null,
  };
}

function differences(existing: PersonaRow, body: ReturnType<typeof personaBody>): string[] {
  const out: string[] = [];
  if (existing.system_prompt !== body.system_prompt) out.push("system prompt");
  if (existing.llm.provider !== body.llm.provider) {
    out.push(`provider ${existing.llm.provider} -> ${body.llm.provider}`);
  }
  if (existing.llm.model !== body.llm.model) {
    out.push(`model ${existing.llm.model} -> ${body.llm.model}`);
  }
  if ((existing.llm.base_url ?? null) !== body.llm.base_url) out.push("base URL");
  if (existing.voice_id !== body.voice_id) out.push("voice");
  return out;
}

async function storedDigests(api: ApiClient, voiceId: string): Promise<Set<string>> {
  const { samples } = await api.json<{ samples: { content_sha256?: string | null }[] }>(
    `/voices/${voiceId}/samples`,
  );
  return new Set(samples.flatMap((s) => s.content_sha256 ? [s.content_sha256] : []));
}

async function addSample(
  api: ApiClient,
  voiceId: string,
  file: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<"added" | "duplicate" | string> {
  const form = new FormData();
  form.append("file", new Blob([bytes]), file.split("/").pop()!);
  try {
    await (await api.request(`/voices/${voiceId}/samples`, { method: "POST", body: form })).body
      ?.cancel();
    return "added";
  } catch (error) {
    if (!(error instanceof NobodyError)) throw error;
    // Stored before digests were kept: the service knows it by its bytes.
    return /same audio as sample/.test(error.message) ? "duplicate" : error.message;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
