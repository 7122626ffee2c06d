/**
 * The `voice_jobs` table of a user's actor: its schema, the columns added since it was first
 * made, the columns a job's update may set, and a row read back as a {@link VoiceJob}.
 */
import type { VoiceStatus } from "../../src/protocol/voice.js";
import type { VoiceJob } from "../../src/speech/job.js";

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS voice_jobs (
  job_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  audio_key TEXT NOT NULL,
  audio_type TEXT NOT NULL,
  transcript TEXT,
  reply TEXT,
  reply_key TEXT,
  reply_type TEXT,
  error TEXT,
  last_error TEXT,
  asr_attempts INTEGER NOT NULL DEFAULT 0,
  tts_attempts INTEGER NOT NULL DEFAULT 0,
  bot_version TEXT,
  run INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS voice_jobs_unfinished ON voice_jobs (created_at) WHERE status NOT IN ('done', 'failed');
`;

/**
 * Columns added after the table was first made: tables of actors that registered jobs before
 * get them on first use. Old rows hold NULL in `bot_version` (they follow the user's current
 * version) and 0 in `run` (never re-driven).
 */
const LATER_COLUMNS = [
  ["bot_version", "TEXT"],
  ["run", "INTEGER NOT NULL DEFAULT 0"],
] as const;

/** Brings a table an older version created up to date (LazySchema's upgrade). */
export function addLaterColumns(sql: SqlStorage): void {
  const columns = new Set(
    sql
      .exec<{ name: string }>("PRAGMA table_info(voice_jobs)")
      .toArray()
      .map((column) => column.name),
  );
  for (const [name, type] of LATER_COLUMNS) if (!columns.has(name)) sql.exec(`ALTER TABLE voice_jobs ADD COLUMN ${name} ${type}`);
}

/** The columns `update` may set: the names are spliced into SQL, so only these are allowed. */
export const COLUMNS = {
  status: true,
  transcript: true,
  reply: true,
  reply_key: true,
  reply_type: true,
  error: true,
  last_error: true,
  asr_attempts: true,
  tts_attempts: true,
  run: true,
} as const;

export type Row = Record<string, SqlStorageValue>;

export function jobOf(row: Row): VoiceJob {
  const text = (value: SqlStorageValue | undefined): string | null => (value === null || value === undefined ? null : String(value));
  return {
    jobId: String(row["job_id"]),
    status: String(row["status"]) as VoiceStatus,
    audioKey: String(row["audio_key"]),
    audioType: String(row["audio_type"]),
    transcript: text(row["transcript"]),
    reply: text(row["reply"]),
    replyKey: text(row["reply_key"]),
    replyType: text(row["reply_type"]),
    error: text(row["error"]),
    lastError: text(row["last_error"]),
    asrAttempts: Number(row["asr_attempts"]),
    ttsAttempts: Number(row["tts_attempts"]),
    botVersion: text(row["bot_version"]),
    run: Number(row["run"] ?? 0),
    createdAt: Number(row["created_at"]),
    updatedAt: Number(row["updated_at"]),
  };
}
