import assert from "node:assert/strict";
import { type Database, openDatabase } from "../adapters/sqlite/database.ts";
import { SqliteVoiceRepository } from "../adapters/sqlite/sqlite_voice_repository.ts";
import { DiskFileStore } from "../adapters/files/disk_file_store.ts";
import type { DomainEvent } from "../domain/events.ts";
import { makeId } from "../domain/ids.ts";
import { EventBus } from "./event_bus.ts";
import { VoiceService } from "./voice_service.ts";
import { SPEECH_WAV } from "../../tests/helpers/fixtures.ts";
import type { VoiceRepository } from "../ports/voice_repository.ts";
import type { SampleAnalyzer } from "../ports/sample_analyzer.ts";
import type { SttEngine } from "../ports/stt_engine.ts";
import { NobodyError } from "../domain/errors.ts";
import { ConsoleLogger } from "../adapters/log/console_logger.ts";

const speech = await Deno.readFile(SPEECH_WAV);

/** The trainer worker is not running: WAV and FLAC are kept unanalyzed, other formats refused. */
const trainerDown: SampleAnalyzer = {
  analyze: () => Promise.reject(new NobodyError("unavailable", "the trainer worker is stopped")),
};
const sttDown: SttEngine = {
  stream: () => {
    throw new NobodyError("unavailable", "the stt worker is stopped");
  },
};

async function withService(
  fn: (s: VoiceService, root: string, events: DomainEvent[]) => Promise<void>,
  makeRepo: (db: Database) => VoiceRepository = (db) => new SqliteVoiceRepository(db),
  analyzer: SampleAnalyzer = trainerDown,
) {
  const root = await Deno.makeTempDir();
  const db = openDatabase(":memory:");
  const seen: DomainEvent[] = [];
  const events = new EventBus<DomainEvent>({
    onListenerError: (e) => {
      throw e;
    },
  });
  events.subscribe((event) => seen.push(event));
  let n = 0;
  const service = new VoiceService({
    voices: makeRepo(db),
    files: new DiskFileStore(root),
    clock: { now: () => 1_000 + n },
    ids: { next: (kind) => makeId(kind, new Uint8Array(20).fill(++n)) },
    events,
    analyzer,
    stt: sttDown,
    logger: new ConsoleLogger({ level: "error", write: () => {} }),
  });
  try {
    await fn(service, root, seen);
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
}

const names = (dir: string) => {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch {
    return [];
  }
};

Deno.test("VoiceService publishes an event for every change", () =>
  withService(async (service, _root, events) => {
    const voice = service.create({ name: "Ada", description: "" });
    const sample = await service.addSample(voice.id, { fileName: "a.wav", bytes: speech });
    await service.deleteSample(voice.id, sample.id);
    await service.delete(voice.id);
    assert.deepEqual(events.map((e) => e.type), [
      "voice_created",
      "sample_added",
      "sample_deleted",
      "voice_deleted",
    ]);
  }));

Deno.test("VoiceService removes the file when the row cannot be written", () =>
  withService(
    async (service, root) => {
      const voice = service.create({ name: "Ada", description: "" });
      await assert.rejects(
        service.addSample(voice.id, { fileName: "a.wav", bytes: speech }),
        /disk full/,
      );
      assert.deepEqual(names(`${root}/voices/${voice.id}/samples`), []);
      assert.deepEqual(service.listSamples(voice.id), []);
    },
    (db) =>
      new class extends SqliteVoiceRepository {
        override insertSample(): void {
          throw new Error("disk full");
        }
      }(db),
  ));

Deno.test("VoiceService.sweep() removes temp files and quarantines, never deletes, unknown audio", () =>
  withService(async (service, root) => {
    const voice = service.create({ name: "Ada", description: "" });
    const kept = await service.addSample(voice.id, { fileName: "a.wav", bytes: speech });
    const samples = `${root}/voices/${voice.id}/samples`;
    // A crash between file and row, a crash mid-write, and a voice the database does not know.
    Deno.writeFileSync(`${samples}/sample_zzzzzzzzzzzzzzzzzzzz.wav`, speech);
    Deno.writeFileSync(`${samples}/.1234.partial`, speech.subarray(0, 100));
    Deno.writeFileSync(`${root}/voices/${voice.id}/.x.partial`, speech.subarray(0, 10));
    Deno.mkdirSync(`${root}/voices/voice_zzzzzzzzzzzzzzzzzzzz/samples`, { recursive: true });
    Deno.writeFileSync(`${root}/voices/voice_zzzzzzzzzzzzzzzzzzzz/samples/s.wav`, speech);

    const swept = await service.sweep();
    assert.equal(swept.removed.length, 2, "the two temp files");
    assert.deepEqual([...swept.quarantined].sort(), [
      `voices/${voice.id}/samples/sample_zzzzzzzzzzzzzzzzzzzz.wav`,
      "voices/voice_zzzzzzzzzzzzzzzzzzzz",
    ]);
    assert.deepEqual(names(samples), [`${kept.id}.wav`]);
    assert.deepEqual(names(`${root}/voices/${voice.id}`), ["samples"]);
    assert.deepEqual(names(`${root}/voices`), [voice.id]);
    const [stamp] = names(`${root}/quarantine`);
    assert.deepEqual(
      Deno.readFileSync(
        `${root}/quarantine/${stamp}/voices/voice_zzzzzzzzzzzzzzzzzzzz/samples/s.wav`,
      ),
      speech,
      "the unknown voice's audio is kept, byte for byte",
    );
    assert.deepEqual(
      Deno.readFileSync(
        `${root}/quarantine/${stamp}/voices/${voice.id}/samples/sample_zzzzzzzzzzzzzzzzzzzz.wav`,
      ),
      speech,
    );
    const { bytes } = await service.sampleAudio(voice.id, kept.id);
    assert.deepEqual(bytes, speech, "the real sample is intact");
    assert.deepEqual(await service.sweep(), { removed: [], quarantined: [] }, "nothing left");
  }));

Deno.test("VoiceService: a file the trainer cannot decode, or a compressed one it cannot reach, stores nothing", async () => {
  const ogg = new TextEncoder().encode("OggS" + "x".repeat(64));
  await withService(async (service, root) => {
    const voice = service.create({ name: "Ada", description: "" });
    await assert.rejects(service.addSample(voice.id, { fileName: "a.ogg", bytes: ogg }), {
      code: "unavailable",
      message: /OGG samples are decoded by the voice trainer, which is not running/,
    });
    assert.deepEqual(names(`${root}/voices/${voice.id}/samples`), []);
  });
  const corrupt: SampleAnalyzer = {
    analyze: async (request) => {
      // The worker may have written part of its output before finding the damage.
      await Deno.writeFile(request.outputPath, speech.subarray(0, 100));
      throw new NobodyError("invalid_request", "the WAV file could not be decoded");
    },
  };
  await withService(
    async (service, root) => {
      const voice = service.create({ name: "Ada", description: "" });
      await assert.rejects(service.addSample(voice.id, { fileName: "a.wav", bytes: speech }), {
        code: "invalid_request",
      });
      assert.deepEqual(names(`${root}/voices/${voice.id}/samples`), []);
      assert.deepEqual(service.listSamples(voice.id), []);
    },
    undefined,
    corrupt,
  );
});
