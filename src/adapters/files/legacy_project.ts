/**
 * @module
 * The earlier Python version of nobody, as it left things on disk: `personas.yaml` (a map of
 * personas, each with a name, system prompt, LLM provider and model, voice and hotkey) and a
 * `voices/<voice>/` folder of samples per voice. Read, never changed.
 */
import { parse } from "yaml";
import { NobodyError } from "../../domain/errors.ts";

export interface LegacyPersona {
  /** Its key in the YAML ("tutor"). */
  readonly key: string;
  readonly name: string;
  readonly systemPrompt: string;
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string | null;
  /** A voice folder's name, or null for the default voice. */
  readonly voice: string | null;
  readonly hotkey: string | null;
}

export interface LegacyVoice {
  readonly name: string;
  /** Absolute paths of its audio files, sorted. */
  readonly files: readonly string[];
}

export interface LegacyProject {
  readonly personasFile: string | null;
  readonly personas: readonly LegacyPersona[];
  readonly voices: readonly LegacyVoice[];
  /** Entries that could not be read, in words: the rest still imports. */
  readonly problems: readonly string[];
}

const AUDIO = /\.(wav|flac|ogg|oga|mp3|m4a|webm)$/i;
/** The old app's name for "no cloned voice". */
const DEFAULT_VOICES = new Set(["", "default"]);

/** Reads a project folder, or a personas.yaml with its voices/ folder beside it. */
export async function readLegacyProject(path: string): Promise<LegacyProject> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new NobodyError("invalid_request", `${path}: no such file or folder`);
  }
  const dir = info.isDirectory ? path.replace(/\/+$/, "") : path.replace(/\/[^/]*$/, "") || ".";
  const personasFile = info.isDirectory ? `${dir}/personas.yaml` : path;
  const problems: string[] = [];
  const personas = await readPersonas(personasFile, problems);
  const voices = await readVoices(`${dir}/voices`);
  if (personas === null && voices.length === 0) {
    throw new NobodyError(
      "invalid_request",
      `${path} holds neither a personas.yaml nor a voices/ folder of samples`,
    );
  }
  return {
    personasFile: personas === null ? null : personasFile,
    personas: personas ?? [],
    voices,
    problems,
  };
}

async function readPersonas(file: string, problems: string[]): Promise<LegacyPersona[] | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new NobodyError("invalid_request", `${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new NobodyError(
      "invalid_request",
      `${file} is not valid YAML${line ? ` (line ${line})` : ""}: ${
        (error as Error).message.split("\n")[0]
      }`,
    );
  }
  const map = (data as { personas?: unknown })?.personas;
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    throw new NobodyError("invalid_request", `${file} has no "personas:" map`);
  }
  const out: LegacyPersona[] = [];
  for (const [key, value] of Object.entries(map)) {
    const p = value as Record<string, unknown> | null;
    const llm = p?.llm as Record<string, unknown> | undefined;
    const text = (v: unknown) => typeof v === "string" ? v.trim() : "";
    if (!p || typeof p !== "object" || !text(llm?.provider) || !text(llm?.model)) {
      problems.push(`persona "${key}": needs llm.provider and llm.model; skipped`);
      continue;
    }
    const voice = text(p.voice);
    out.push({
      key,
      name: text(p.name) || key,
      systemPrompt: text(p.system_prompt),
      provider: text(llm!.provider),
      model: text(llm!.model),
      baseUrl: text(llm!.base_url) || null,
      voice: DEFAULT_VOICES.has(voice.toLowerCase()) ? null : voice,
      hotkey: text(p.hotkey) || null,
    });
  }
  return out;
}

async function readVoices(dir: string): Promise<LegacyVoice[]> {
  const voices: LegacyVoice[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return [];
  }
  for (const entry of entries.filter((e) => e.isDirectory).sort(byName)) {
    const files = (await Array.fromAsync(Deno.readDir(`${dir}/${entry.name}`)))
      .filter((f) => f.isFile && AUDIO.test(f.name))
      .sort(byName)
      .map((f) => `${dir}/${entry.name}/${f.name}`);
    if (files.length > 0) voices.push({ name: entry.name, files });
  }
  return voices;
}

const byName = (a: { name: string }, b: { name: string }) => a.name < b.name ? -1 : 1;
