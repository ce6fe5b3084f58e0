/**
 * @module
 * Real human speech from Debian packages (tests/helpers/speech_corpus.ts), through a real
 * `nobody serve` with its workers. Per speaker: word error rate of the service and of the bare
 * engine on the same clips, transcript stability over 10 repeats (interleaved with other requests),
 * and for the speaker's clone (trained from all of its clips) against the default voice: median F0
 * error (cents), F0 spread ratio and speaking-rate ratio, all measured with Praat on the speaker's
 * own texts, never with the trainer's estimators.
 *
 *   deno task bench:speech
 */
import { summarize } from "./summary.ts";
import { speechCorpus } from "../tests/helpers/speech_corpus.ts";
import {
  bareTranscripts,
  type CloneFigures,
  compare,
  measureReference,
  measureSpoken,
  serviceTranscript,
  trainClone,
  wer,
} from "../tests/helpers/speech_eval.ts";
import { AUTO_POOLS, startServer } from "../tests/helpers/server_process.ts";

const REPEATS = 10;

const cents = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(0)}`;
const ratio = (x: number) => x.toFixed(2);

function table(head: string[], rows: string[][]) {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((x, c) => x.padEnd(widths[c])).join(" | ")} |`;
  console.log(line(head));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
  console.log();
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "nobody-speech-" });
  const speakers = await speechCorpus();
  const server = await startServer(`${dir}/data`, [], { NOBODY_WORKERS: "true", ...AUTO_POOLS });
  const figures: { bench: string; figure: string; value: string; goal: string }[] = [];
  try {
    const sttRows: string[][] = [];
    const cloneRows: string[][] = [];
    for (const speaker of speakers) {
      const service = [];
      for (const clip of speaker.clips) service.push(await serviceTranscript(server, clip.path));
      const bare = await bareTranscripts(speaker.clips, dir);
      // The same clip again and again, with the speaker's other clips in between.
      const first = speaker.clips[0].path;
      const repeats = new Set<string>();
      for (let i = 0; i < REPEATS; i++) {
        repeats.add(await serviceTranscript(server, first));
        await serviceTranscript(server, speaker.clips[(i + 1) % speaker.clips.length].path);
      }
      const identical = REPEATS - repeats.size + 1;
      const [s, b] = [wer(speaker.clips, service), wer(speaker.clips, bare)];
      sttRows.push([
        speaker.id,
        speaker.description,
        String(speaker.clips.length),
        `${(s * 100).toFixed(1)} %`,
        `${(b * 100).toFixed(1)} %`,
        `${identical} of ${REPEATS}`,
      ]);
      figures.push(
        {
          bench: "speech",
          figure: `${speaker.id}: service WER`,
          value: `${(s * 100).toFixed(1)} %`,
          goal: `<= bare ${(b * 100).toFixed(1)} %`,
        },
        {
          bench: "speech",
          figure: `${speaker.id}: identical repeats`,
          value: `${identical} of ${REPEATS}`,
          goal: "10 of 10",
        },
      );

      const reference = await measureReference(speaker, dir);
      const voiceId = await trainClone(server, speaker).catch((error) => {
        if (!/training needs at least/.test(String(error))) throw error;
        return null;
      });
      if (voiceId === null) {
        cloneRows.push([
          speaker.id,
          `${reference.medianF0.toFixed(0)} Hz`,
          "too little audio to clone",
          "",
          "",
          "",
        ]);
        continue;
      }
      const clone = compare(reference, await measureSpoken(server, speaker, voiceId, dir));
      const plain = compare(reference, await measureSpoken(server, speaker, "default", dir));
      const closer = (pick: (f: CloneFigures) => number) =>
        Math.abs(pick(clone)) < Math.abs(pick(plain)) ? "yes" : "no";
      cloneRows.push([
        speaker.id,
        `${reference.medianF0.toFixed(0)} Hz`,
        `${cents(clone.f0Cents)} (${cents(plain.f0Cents)})`,
        `${ratio(clone.spreadRatio)} (${ratio(plain.spreadRatio)})`,
        `${ratio(clone.rateRatio)} (${ratio(plain.rateRatio)})`,
        [
          closer((f) => f.f0Cents),
          closer((f) => Math.log(f.spreadRatio)),
          closer((f) => Math.log(f.rateRatio)),
        ].join(" / "),
      ]);
      figures.push(
        {
          bench: "speech",
          figure: `${speaker.id}: clone F0 error (cents)`,
          value: cents(clone.f0Cents),
          goal: "within 50",
        },
        {
          bench: "speech",
          figure: `${speaker.id}: clone F0 spread ratio`,
          value: ratio(clone.spreadRatio),
          goal: "0.65-1.35",
        },
        {
          bench: "speech",
          figure: `${speaker.id}: clone speaking-rate ratio`,
          value: ratio(clone.rateRatio),
          goal: "0.90-1.10",
        },
      );
    }
    table(
      [
        "speaker",
        "recording",
        "clips",
        "service WER",
        "bare engine WER (whole clip)",
        "identical repeats",
      ],
      sttRows,
    );
    table(
      [
        "speaker",
        "Praat median F0",
        "F0 error, cents: clone (default)",
        "F0 spread ratio",
        "speaking-rate ratio",
        "clone closer than default (F0 / spread / rate)",
      ],
      cloneRows,
    );
    console.log("Goals: F0 within 50 cents, spread ratio 0.65-1.35, rate ratio 0.90-1.10.");
    await summarize(figures);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}
