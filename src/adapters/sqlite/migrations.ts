/**
 * @module
 * Versioned schema migrations. Append only: a released migration is never edited.
 */

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "voices, samples, personas, conversation history",
    sql: `
      CREATE TABLE voices (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('draft', 'training', 'ready', 'failed')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX voices_name ON voices (name COLLATE NOCASE);

      CREATE TABLE voice_samples (
        id TEXT PRIMARY KEY,
        voice_id TEXT NOT NULL REFERENCES voices (id) ON DELETE CASCADE,
        file_name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('wav', 'flac')),
        sample_rate INTEGER NOT NULL CHECK (sample_rate > 0),
        channels INTEGER NOT NULL CHECK (channels > 0),
        duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
        size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX voice_samples_voice ON voice_samples (voice_id, created_at);

      CREATE TABLE personas (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        system_prompt TEXT NOT NULL,
        llm_provider TEXT NOT NULL,
        llm_model TEXT NOT NULL,
        llm_base_url TEXT,
        llm_temperature REAL,
        voice_id TEXT REFERENCES voices (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX personas_name ON personas (name COLLATE NOCASE);
      CREATE INDEX personas_voice ON personas (voice_id);

      CREATE TABLE conversation_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        persona_id TEXT NOT NULL REFERENCES personas (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX conversation_messages_persona ON conversation_messages (persona_id, id);
    `,
  },
  {
    version: 2,
    name: "per-turn latency figures",
    sql: `
      CREATE TABLE turn_metrics (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL,
        persona_id TEXT,
        created_at INTEGER NOT NULL,
        transcript_ms REAL,
        first_token_ms REAL,
        first_sentence_ms REAL,
        first_audio_ms REAL,
        first_played_ms REAL
      ) STRICT;
      CREATE INDEX turn_metrics_session ON turn_metrics (session_id, id);
    `,
  },
  {
    version: 3,
    name: "training jobs",
    sql: `
      CREATE TABLE training_jobs (
        id TEXT PRIMARY KEY,
        voice_id TEXT NOT NULL REFERENCES voices (id) ON DELETE CASCADE,
        status TEXT NOT NULL
          CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        stage TEXT NOT NULL,
        percent REAL NOT NULL,
        message TEXT NOT NULL,
        artifact_path TEXT,
        -- restored when the job does not finish: the previous artifact is still in place
        previous_voice_status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX training_jobs_voice ON training_jobs (voice_id, created_at);
    `,
  },
  {
    version: 4,
    name: "compressed sample formats, normalized copies, quality reports and transcripts",
    // SQLite cannot change a CHECK constraint in place: the table is rebuilt, rows copied.
    sql: `
      CREATE TABLE voice_samples_v4 (
        id TEXT PRIMARY KEY,
        voice_id TEXT NOT NULL REFERENCES voices (id) ON DELETE CASCADE,
        file_name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('wav', 'flac', 'ogg', 'mp3', 'm4a', 'webm')),
        sample_rate INTEGER NOT NULL CHECK (sample_rate > 0),
        channels INTEGER NOT NULL CHECK (channels > 0),
        duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
        size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
        created_at INTEGER NOT NULL,
        normalized_rate INTEGER CHECK (normalized_rate > 0),
        quality_json TEXT CHECK (quality_json IS NULL OR json_valid(quality_json)),
        transcript TEXT
      ) STRICT;
      INSERT INTO voice_samples_v4
        (id, voice_id, file_name, format, sample_rate, channels, duration_ms, size_bytes, created_at)
        SELECT id, voice_id, file_name, format, sample_rate, channels, duration_ms, size_bytes, created_at
        FROM voice_samples;
      DROP TABLE voice_samples;
      ALTER TABLE voice_samples_v4 RENAME TO voice_samples;
      CREATE INDEX voice_samples_voice ON voice_samples (voice_id, created_at);
    `,
  },
  {
    version: 5,
    name: "why a sample is not analyzed",
    sql: `ALTER TABLE voice_samples ADD COLUMN analysis_error TEXT;`,
  },
  {
    version: 6,
    name: "dashboard sign-ins",
    sql: `
      CREATE TABLE dashboard_sessions (
        id_hash TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: "interrupted replies in the history",
    sql: `ALTER TABLE conversation_messages ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    version: 8,
    name: "a persona's thinking setting",
    sql: `ALTER TABLE personas ADD COLUMN llm_think INTEGER CHECK (llm_think IN (0, 1));`,
  },
  {
    version: 9,
    name: "the conversation and voice of each message, for the dashboard's history",
    sql: `
      ALTER TABLE conversation_messages ADD COLUMN session_id TEXT;
      ALTER TABLE conversation_messages ADD COLUMN voice_id TEXT;
    `,
  },
  {
    version: 10,
    name: "a digest of each sample's bytes, to spot duplicates",
    sql: `ALTER TABLE voice_samples ADD COLUMN content_sha256 TEXT;`,
  },
];
