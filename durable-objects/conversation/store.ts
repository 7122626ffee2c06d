import type { ConversationEvent, StoredEvent } from "../../src/conversation/events.js";
import { messageViewOf } from "../../src/conversation/message-view.js";
import type { Snapshot } from "../../src/conversation/snapshot.js";
import type { HistoryMessage } from "../../src/protocol/conversation.js";
import type { TurnResult } from "../../src/protocol/messages.js";
import { LazySchema } from "./lazy-schema.js";

// Two B-trees for a new actor, one per table. Creating them is the largest cost Parley adds to a
// new actor, but mostly as the first write of a fresh database: one more tree costs little
// beside it (bench/README.md → What we learned), so the count of tables is not what to cut. History pages
// scan the events by seq and keep the messages (about 2 rows in 7): no index on type, which
// every turn's INSERT would have to maintain. `meta` is keyed by text, WITHOUT ROWID (a
// rowid table with a TEXT PRIMARY KEY is two trees), and holds the dedupe records too, under
// `dedupe:<clientMessageId>`. Tables an older version created keep working: IF NOT EXISTS, the
// same statements, and `started()` moves an older `dedupe` table's records into `meta`.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL);
`;

/** Dedupe records' keys in `meta`; every key of the range sorts between this and DEDUPE_END. */
const DEDUPE = "dedupe:";
const DEDUPE_END = "dedupe;";

/** The meta row that marks a started conversation, holding the user id. */
const USER = "user";

/** Created by the first snapshot (or the first look for one): a new actor's first turn does not need it. */
const SNAPSHOT_SCHEMA = "CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL, mac TEXT NOT NULL)";

/** Rows per INSERT: SQLite allows 100 bound parameters per statement in Durable Objects. */
const APPEND_BATCH = 25;

/** Snapshots kept: the newest, and one to fall back on if the newest fails its MAC. */
const SNAPSHOTS_KEPT = 2;

type Row = Record<string, SqlStorageValue>;

/**
 * The actor's SQLite storage: an append-only event log, dedupe records and sealed
 * snapshots. Synchronous calls: the actor wraps a turn's writes in one `transactionSync`.
 */
export class ConversationStore {
  private readonly snapshotTable: LazySchema;
  /**
   * Set when `started()` found a conversation that never started: then the only dedupe
   * records are the ones stored through this instance, and a lookup of any other key needs no
   * read (a new user's first turn, and every turn of a conversation that has not been evicted
   * since). Null: the storage may hold records from before.
   */
  private storedHere: Set<string> | null = null;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    this.snapshotTable = new LazySchema(sql, SNAPSHOT_SCHEMA);
  }

  getMeta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }

  /** One statement for a turn's events: a turn appends about eight, and each `exec` has a fixed cost. */
  append(events: readonly StoredEvent[]): void {
    for (let start = 0; start < events.length; start += APPEND_BATCH) {
      const batch = events.slice(start, start + APPEND_BATCH);
      const values: SqlStorageValue[] = batch.flatMap(({ seq, at, event }) => [seq, at, event.type, JSON.stringify(event)]);
      this.sql.exec(`INSERT INTO events (seq, at, type, data) VALUES ${batch.map(() => "(?, ?, ?, ?)").join(", ")}`, ...values);
    }
  }

  /** Events after `seq`, in order: the tail replayed on top of a snapshot. */
  *eventsAfter(seq: number): Generator<StoredEvent> {
    const cursor = this.sql.exec<{ seq: number; at: number; data: string }>("SELECT seq, at, data FROM events WHERE seq > ? ORDER BY seq", seq);
    for (const row of cursor) yield { seq: row.seq, at: row.at, event: JSON.parse(row.data) as ConversationEvent };
  }

  /** The last `limit` messages, oldest first, as history shows them (sensitive spans masked). */
  lastMessages(limit: number): HistoryMessage[] {
    return this.sql
      .exec<{ seq: number; at: number; data: string }>(
        "SELECT seq, at, data FROM events WHERE type IN ('message.user', 'message.bot', 'message.agent', 'message.system') ORDER BY seq DESC LIMIT ?",
        limit,
      )
      .toArray()
      .reverse()
      .flatMap((row) => {
        const view = messageViewOf({ seq: row.seq, at: row.at, event: JSON.parse(row.data) as ConversationEvent });
        return view ? [view] : [];
      });
  }

  /** Up to `limit` messages after `seq`, and whether more follow. */
  messagesAfter(seq: number, limit: number): { messages: HistoryMessage[]; more: boolean } {
    const rows = this.sql
      .exec<{ seq: number; at: number; data: string }>(
        "SELECT seq, at, data FROM events WHERE seq > ? AND type IN ('message.user', 'message.bot', 'message.agent', 'message.system') ORDER BY seq LIMIT ?",
        seq,
        limit + 1,
      )
      .toArray();
    const messages = rows.slice(0, limit).map((row) => messageViewOf({ seq: row.seq, at: row.at, event: JSON.parse(row.data) as ConversationEvent }));
    return { messages: messages.filter((message): message is HistoryMessage => message !== null), more: rows.length > limit };
  }

  getDedupe(key: string): TurnResult | null {
    if (this.storedHere !== null && !this.storedHere.has(key)) return null;
    const stored = this.getMeta(DEDUPE + key);
    return stored === null ? null : (JSON.parse(stored) as TurnResult);
  }

  /** A key is stored once: a second put for it is a bug, and throws (the turn's transaction with it). */
  putDedupe(key: string, result: TurnResult): void {
    this.storedHere?.add(key); // before the write: a key that then rolls back only costs a read
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?)", DEDUPE + key, JSON.stringify(result));
  }

  /**
   * Whether the conversation ever started: the first write marks it (`markStarted`), so one that
   * never did has no events and no dedupe record either. On the way, a conversation an older
   * version wrote has its `dedupe` table's records moved into `meta`, once (the two statements
   * commit together, as every write of one synchronous run does).
   */
  started(): boolean {
    const user = this.getMeta(USER);
    if (user === null) this.storedHere = new Set();
    else if (this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dedupe'").toArray().length > 0) {
      this.sql.exec(`INSERT OR IGNORE INTO meta (key, value) SELECT '${DEDUPE}' || key, result FROM dedupe; DROP TABLE dedupe;`);
    }
    return user !== null;
  }

  /** The mark holds the user id the actor is named by: for an actor reached by its id alone, and whoever reads the storage by hand. */
  markStarted(userId: string): void {
    this.setMeta(USER, userId);
  }

  /** The user id the conversation was started for, null when it never started. */
  startedFor(): string | null {
    return this.getMeta(USER);
  }

  /** The user message of the turn that ended at `seq`, as stored (sensitive spans masked). */
  userTextOfTurn(seq: number): string | null {
    const row = this.sql.exec<{ data: string }>("SELECT data FROM events WHERE seq <= ? AND type = 'message.user' ORDER BY seq DESC LIMIT 1", seq).toArray()[0];
    const event = row ? (JSON.parse(row.data) as ConversationEvent) : null;
    return event?.type === "message.user" ? event.text : null;
  }

  /** Newest first. */
  snapshots(): Snapshot[] {
    return this.snapshotTable
      .sql()
      .exec<{ seq: number; at: number; body: string; mac: string }>("SELECT seq, at, body, mac FROM snapshots ORDER BY seq DESC")
      .toArray();
  }

  putSnapshot(snapshot: Snapshot): void {
    const sql = this.snapshotTable.sql();
    sql.exec("INSERT OR REPLACE INTO snapshots (seq, at, body, mac) VALUES (?, ?, ?, ?)", snapshot.seq, snapshot.at, snapshot.body, snapshot.mac);
    sql.exec("DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT ?)", SNAPSHOTS_KEPT);
  }

  /** Every message event in order, as stored (sensitive spans masked). */
  *messageEvents(): Generator<StoredEvent> {
    const cursor = this.sql.exec<{ seq: number; at: number; data: string }>(
      "SELECT seq, at, data FROM events WHERE type IN ('message.user', 'message.bot') ORDER BY seq",
    );
    for (const row of cursor) yield { seq: row.seq, at: row.at, event: JSON.parse(row.data) as ConversationEvent };
  }

  /** Events holding sealed values (sensitive slots, user messages with sensitive spans). */
  *sealedEvents(): Generator<StoredEvent> {
    const cursor = this.sql.exec<{ seq: number; at: number; data: string }>("SELECT seq, at, data FROM events WHERE data LIKE '%\"enc:v1:%' ORDER BY seq");
    for (const row of cursor) yield { seq: row.seq, at: row.at, event: JSON.parse(row.data) as ConversationEvent };
  }

  /** Rewrites an event's data in place: only for re-sealing under a new key, never to change what happened. */
  rewrite(stored: StoredEvent): void {
    this.sql.exec("UPDATE events SET data = ? WHERE seq = ?", JSON.stringify(stored.event), stored.seq);
  }

  clearSnapshots(): void {
    this.snapshotTable.sql().exec("DELETE FROM snapshots");
  }

  /** Deletes events before `at` up to `seq` (a snapshot covers them) and their dedupe records. */
  pruneEvents(at: number, seq: number): number {
    const pruned = this.sql.exec("DELETE FROM events WHERE at < ? AND seq <= ?", at, seq).rowsWritten;
    if (pruned > 0) {
      this.sql.exec(
        "DELETE FROM meta WHERE key >= ? AND key < ? AND json_extract(value, '$.seq') <= (SELECT COALESCE(MIN(seq), ?) - 1 FROM events)",
        DEDUPE,
        DEDUPE_END,
        seq + 1,
      );
    }
    return pruned;
  }

  /** Raw rows for the export, in seq order. */
  *exportRows(): Generator<Row> {
    yield* this.sql.exec("SELECT seq, at, type, data FROM events ORDER BY seq");
  }
}
