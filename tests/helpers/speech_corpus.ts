/**
 * @module
 * A development corpus of real human speech with known text, taken from Debian packages at test
 * time (`apt-get download` + `dpkg -x` into a cache) and never committed. Several speakers, rates
 * and recording conditions:
 *
 * - `allison`: asterisk-core-sounds-en-wav, one woman, 8 kHz telephone prompts (text in
 *   asterisk-core-sounds-en's core-sounds-en.txt).
 * - `librivox`: pocketsphinx-testdata, a LibriVox reader of Sense and Sensibility, 16 kHz.
 * - `cards`: pocketsphinx-testdata, a man saying playing cards in isolated words, 16 kHz.
 * - `klettres_us` and `klettres_gb`: klettres-data, the English alphabet read letter by letter
 *   (Ogg Vorbis, 44.1 kHz), two speakers.
 */
import { decodeWavMono } from "../../src/audio/wav.ts";

export interface Clip {
  readonly path: string;
  /** What is said, lower case words. */
  readonly text: string;
}

export interface Speaker {
  readonly id: string;
  readonly description: string;
  readonly clips: readonly Clip[];
}

const PACKAGES = [
  "asterisk-core-sounds-en-wav",
  "asterisk-core-sounds-en",
  "pocketsphinx-testdata",
  "klettres-data",
] as const;

export function corpusCache(): string {
  const explicit = Deno.env.get("NOBODY_CORPUS_DIR");
  if (explicit) return explicit;
  const home = Deno.env.get("HOME") ?? "/tmp";
  return `${home}/.cache/nobody/speech-corpus`;
}

async function run(cmd: string, args: string[], cwd: string, signal?: AbortSignal) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    // A stalled mirror fails the setup instead of hanging it.
    signal: signal ?? AbortSignal.timeout(300_000),
  })
    .output();
  if (out.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Downloads and unpacks the packages once; later calls only read the cache. */
export async function unpackCorpus(options: { cache?: string; signal?: AbortSignal } = {}) {
  const cache = options.cache ?? corpusCache();
  const root = `${cache}/root`;
  const debs = `${cache}/debs`;
  await Deno.mkdir(debs, { recursive: true });
  for (const name of PACKAGES) {
    const marker = `${cache}/${name}.unpacked`;
    if (exists(marker)) continue;
    await run("apt-get", ["download", "-q", name], debs, options.signal);
    const deb = [...Deno.readDirSync(debs)].find((e) =>
      e.name.startsWith(`${name}_`) && e.name.endsWith(".deb")
    );
    if (!deb) throw new Error(`apt-get download ${name} left no .deb in ${debs}`);
    await run("dpkg", ["-x", `${debs}/${deb.name}`, root], cache, options.signal);
    await Deno.remove(`${debs}/${deb.name}`);
    await Deno.writeTextFile(marker, "");
  }
  return root;
}

/** Lower-case words, digits and punctuation gone: the form transcripts are compared in. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/[^a-z' ]+/g, " ").replace(/\s+/g, " ").trim();
}

async function gunzipText(path: string): Promise<string> {
  const stream = (await Deno.open(path)).readable.pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

async function allison(root: string): Promise<Speaker> {
  const dir = `${root}/usr/share/asterisk/sounds/en_US_f_Allison`;
  const index = await gunzipText(
    `${root}/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz`,
  );
  const clips: Clip[] = [];
  for (const line of index.split("\n")) {
    const match = /^([a-z0-9-]+): (.+)$/.exec(line.trim());
    if (!match) continue;
    const [, name, said] = match;
    // Tones, spelled-out numbers and ellipses are not plain read text.
    if (/[\[\]0-9]|\.\.\./.test(said)) continue;
    const text = normalizeText(said);
    if (text.split(" ").length < 5 || !exists(`${dir}/${name}.wav`)) continue;
    clips.push({ path: `${dir}/${name}.wav`, text });
  }
  clips.sort((a, b) => a.path.localeCompare(b.path));
  return {
    id: "allison",
    description: "asterisk prompts, woman, 8 kHz telephone",
    clips: clips.slice(0, 40),
  };
}

async function sphinxSet(root: string, folder: string, file: string): Promise<Clip[]> {
  const dir = `${root}/usr/share/pocketsphinx/test/data/${folder}`;
  const clips: Clip[] = [];
  for (const line of (await Deno.readTextFile(`${dir}/${file}`)).split("\n")) {
    const match = /<s>(.*)<\/s>\s*\(([^)]+)\)/.exec(line);
    if (match) clips.push({ path: `${dir}/${match[2].trim()}.wav`, text: normalizeText(match[1]) });
  }
  return clips;
}

/** KLettres' letters; the text is the letter as a word ("a", "b", ...), as a transcript has it. */
function klettres(root: string, lang: string): Clip[] {
  const dir = `${root}/usr/share/klettres/${lang}/alpha`;
  return [...Deno.readDirSync(dir)]
    .filter((e) => /^[a-z]\.ogg$/i.test(e.name))
    .map((e) => ({ path: `${dir}/${e.name}`, text: e.name[0].toLowerCase() }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export async function speechCorpus(
  options: { cache?: string; signal?: AbortSignal } = {},
): Promise<Speaker[]> {
  const root = await unpackCorpus(options);
  return [
    await allison(root),
    {
      id: "librivox",
      description: "LibriVox reader, 16 kHz read speech",
      clips: await sphinxSet(root, "librivox", "transcription"),
    },
    {
      id: "cards",
      description: "man, isolated card names, 16 kHz",
      clips: await sphinxSet(root, "cards", "cards.transcription"),
    },
    {
      id: "klettres_us",
      description: "KLettres en, alphabet letter by letter, Ogg",
      clips: klettres(root, "en"),
    },
    {
      id: "klettres_gb",
      description: "KLettres en_GB, alphabet letter by letter, Ogg",
      clips: klettres(root, "en_GB"),
    },
  ];
}

const VOWELS = new Set([
  "AA",
  "AE",
  "AH",
  "AO",
  "AW",
  "AY",
  "EH",
  "ER",
  "EY",
  "IH",
  "IY",
  "OW",
  "OY",
  "UH",
  "UW",
]);
let dictionary: Map<string, number> | null = null;

/** Syllables of known text, from the CMU pronouncing dictionary (vowel phones per word). */
export function syllables(text: string): number {
  if (!dictionary) {
    dictionary = new Map();
    const dict = Deno.readTextFileSync("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict");
    for (const line of dict.split("\n")) {
      const [word, ...phones] = line.trim().split(/\s+/);
      if (!word || word.includes("(")) continue;
      dictionary.set(word, phones.filter((p) => VOWELS.has(p)).length);
    }
  }
  let count = 0;
  for (const word of normalizeText(text).split(" ")) {
    if (!word) continue;
    // Words the dictionary lacks: one syllable per vowel group, a fair guess for English.
    count += dictionary.get(word) ?? Math.max(1, word.match(/[aeiouy]+/g)?.length ?? 1);
  }
  return count;
}

/** Word error rate of `hypothesis` against `reference` (Levenshtein over words). */
export function wordErrors(
  reference: string,
  hypothesis: string,
): { errors: number; words: number } {
  const ref = normalizeText(reference).split(" ").filter(Boolean);
  const hyp = normalizeText(hypothesis).split(" ").filter(Boolean);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitute = previous[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      row.push(Math.min(substitute, previous[j] + 1, row[j - 1] + 1));
    }
    previous = row;
  }
  return { errors: previous[hyp.length], words: ref.length };
}

/** A clip's samples at `rate` (mono float), resampled by sox: a microphone's view of it. */
export async function clipAt(path: string, rate: number): Promise<Float32Array> {
  const out = await new Deno.Command("sox", {
    args: [path, "-r", String(rate), "-e", "float", "-b", "32", "-t", "raw", "-"],
    stdout: "piped",
  }).output();
  return new Float32Array(out.stdout.buffer.slice(0, out.stdout.byteLength & ~3));
}

/** The LibriVox reader's clip `index`: its samples at the file's own rate, and its text. */
export async function librivoxClip(
  index: number,
): Promise<{ samples: Float32Array; rate: number; text: string }> {
  const librivox = (await speechCorpus()).find((s) => s.id === "librivox")!;
  const { path, text } = librivox.clips[index];
  const wav = decodeWavMono(await Deno.readFile(path));
  if (!wav.ok) throw new Error(wav.error.message);
  return { samples: wav.value.samples, rate: wav.value.sampleRate, text };
}
