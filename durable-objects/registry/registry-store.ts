import type { AuditEntry, PublishedVersion, VersionSummary } from "../../src/protocol/admin.js";
import type { OutcomeCounts, VersionOutcomes } from "../../src/rollout/outcomes.js";
import type { Rollout } from "../../src/rollout/rollout.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS versions (bot TEXT NOT NULL, version TEXT NOT NULL, body TEXT NOT NULL, published_at INTEGER NOT NULL, published_by TEXT NOT NULL, PRIMARY KEY (bot, version));
CREATE TABLE IF NOT EXISTS rollouts (bot TEXT PRIMARY KEY, rollout TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS counters (bot TEXT NOT NULL, version TEXT NOT NULL, turns INTEGER NOT NULL, fallbacks INTEGER NOT NULL, handoffs INTEGER NOT NULL, errors INTEGER NOT NULL, PRIMARY KEY (bot, version));
CREATE TABLE IF NOT EXISTS guard_windows (bot TEXT PRIMARY KEY, version TEXT NOT NULL, turns INTEGER NOT NULL, fallbacks INTEGER NOT NULL, handoffs INTEGER NOT NULL, errors INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, bot TEXT NOT NULL, at INTEGER NOT NULL, by TEXT NOT NULL, action TEXT NOT NULL, from_rollout TEXT, to_rollout TEXT NOT NULL, reason TEXT);
CREATE INDEX IF NOT EXISTS audit_by_bot ON audit (bot, seq);
`;

type VersionRow = { version: string; body: string; published_at: number; published_by: string };
type CountRow = { turns: number; fallbacks: number; handoffs: number; errors: number };
type AuditRow = { at: number; by: string; action: string; from_rollout: string | null; to_rollout: string; reason: string | null };

/** The turns a canary has served since it started: what its guard judges. */
export interface GuardWindow {
  version: string;
  counts: OutcomeCounts;
}

/**
 * The registry's SQLite tables: immutable versions, one rollout per bot, per-version
 * outcome counters, the canary guard's window and the audit trail. Synchronous: the
 * registry wraps each change in one `transactionSync`.
 */
export class RegistryStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  version(bot: string, version: string): (PublishedVersion & { body: string }) | null {
    const row = this.sql
      .exec<VersionRow>("SELECT version, body, published_at, published_by FROM versions WHERE bot = ? AND version = ?", bot, version)
      .toArray()[0];
    return row ? { bot, version: row.version, body: row.body, publishedAt: row.published_at, publishedBy: row.published_by } : null;
  }

  /** Adds a version unless it exists; true when it was added. */
  insertVersion(published: PublishedVersion, body: string): boolean {
    const { bot, version, publishedAt, publishedBy } = published;
    const cursor = this.sql.exec(
      "INSERT OR IGNORE INTO versions (bot, version, body, published_at, published_by) VALUES (?, ?, ?, ?, ?)",
      bot,
      version,
      body,
      publishedAt,
      publishedBy,
    );
    return cursor.rowsWritten > 0;
  }

  hasVersion(bot: string, version: string): boolean {
    return this.sql.exec("SELECT 1 FROM versions WHERE bot = ? AND version = ?", bot, version).toArray().length > 0;
  }

  hasBot(bot: string): boolean {
    return this.sql.exec("SELECT 1 FROM versions WHERE bot = ? LIMIT 1", bot).toArray().length > 0;
  }

  /** Every version of a bot with its counters, oldest first. */
  versions(bot: string): VersionSummary[] {
    const rows = this.sql
      .exec<Omit<VersionRow, "body"> & CountRow>(
        `SELECT v.version, v.published_at, v.published_by,
                COALESCE(c.turns, 0) AS turns, COALESCE(c.fallbacks, 0) AS fallbacks,
                COALESCE(c.handoffs, 0) AS handoffs, COALESCE(c.errors, 0) AS errors
         FROM versions v LEFT JOIN counters c ON c.bot = v.bot AND c.version = v.version
         WHERE v.bot = ? ORDER BY v.published_at, v.version`,
        bot,
      )
      .toArray();
    return rows.map((row) => ({
      bot,
      version: row.version,
      publishedAt: row.published_at,
      publishedBy: row.published_by,
      counters: { turns: row.turns, fallbacks: row.fallbacks, handoffs: row.handoffs, errors: row.errors },
    }));
  }

  rollout(bot: string): Rollout | null {
    const row = this.sql.exec<{ rollout: string }>("SELECT rollout FROM rollouts WHERE bot = ?", bot).toArray()[0];
    return row ? (JSON.parse(row.rollout) as Rollout) : null;
  }

  putRollout(bot: string, rollout: Rollout, at: number): void {
    this.sql.exec(
      "INSERT INTO rollouts (bot, rollout, updated_at) VALUES (?, ?, ?) ON CONFLICT (bot) DO UPDATE SET rollout = excluded.rollout, updated_at = excluded.updated_at",
      bot,
      JSON.stringify(rollout),
      at,
    );
  }

  appendAudit(bot: string, entry: AuditEntry): void {
    const from = entry.from === null ? null : JSON.stringify(entry.from);
    this.sql.exec(
      "INSERT INTO audit (bot, at, by, action, from_rollout, to_rollout, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
      bot,
      entry.at,
      entry.by,
      entry.action,
      from,
      JSON.stringify(entry.to),
      entry.reason ?? null,
    );
  }

  /** The newest `limit` audit entries of a bot, newest first. */
  audit(bot: string, limit: number): AuditEntry[] {
    const rows = this.sql
      .exec<AuditRow>("SELECT at, by, action, from_rollout, to_rollout, reason FROM audit WHERE bot = ? ORDER BY seq DESC LIMIT ?", bot, limit)
      .toArray();
    return rows.map((row) => ({
      at: row.at,
      by: row.by,
      action: row.action as AuditEntry["action"],
      from: row.from_rollout === null ? null : (JSON.parse(row.from_rollout) as Rollout),
      to: JSON.parse(row.to_rollout) as Rollout,
      ...(row.reason === null ? {} : { reason: row.reason }),
    }));
  }

  addCounters({ bot, version, turns, fallbacks, handoffs, errors }: VersionOutcomes): void {
    this.sql.exec(
      `INSERT INTO counters (bot, version, turns, fallbacks, handoffs, errors) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (bot, version) DO UPDATE SET turns = turns + excluded.turns, fallbacks = fallbacks + excluded.fallbacks,
         handoffs = handoffs + excluded.handoffs, errors = errors + excluded.errors`,
      bot,
      version,
      turns,
      fallbacks,
      handoffs,
      errors,
    );
  }

  guardWindow(bot: string): GuardWindow | null {
    const row = this.sql
      .exec<CountRow & { version: string }>("SELECT version, turns, fallbacks, handoffs, errors FROM guard_windows WHERE bot = ?", bot)
      .toArray()[0];
    if (!row) return null;
    return { version: row.version, counts: { turns: row.turns, fallbacks: row.fallbacks, handoffs: row.handoffs, errors: row.errors } };
  }

  /** Starts counting a new canary from zero (or stops counting when there is none). */
  resetGuardWindow(bot: string, canaryVersion: string | null): void {
    this.sql.exec("DELETE FROM guard_windows WHERE bot = ?", bot);
    if (canaryVersion !== null) {
      this.sql.exec("INSERT INTO guard_windows (bot, version, turns, fallbacks, handoffs, errors) VALUES (?, ?, 0, 0, 0, 0)", bot, canaryVersion);
    }
  }

  /** Adds counts to the window when they are the canary's; a no-op otherwise. */
  addToGuardWindow({ bot, version, turns, fallbacks, handoffs, errors }: VersionOutcomes): void {
    this.sql.exec(
      `UPDATE guard_windows SET turns = turns + ?, fallbacks = fallbacks + ?, handoffs = handoffs + ?, errors = errors + ?
       WHERE bot = ? AND version = ?`,
      turns,
      fallbacks,
      handoffs,
      errors,
      bot,
      version,
    );
  }
}
