import type { AgentRef, HandoffSummary } from "../../src/handoff/types.js";
import type { AgentNote, AuditAction, AuditRow, Ticket } from "../../src/protocol/agent.js";
import { OutboxStore } from "./outbox-store.js";

// Entries are never deleted: ended ones are the stats' history. One active entry (waiting or held)
// per conversation, enforced by a partial unique index. Summaries, notes and tickets hold the only
// texts (already masked by the conversation); the audit holds none.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  entry_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, user TEXT NOT NULL, state TEXT NOT NULL,
  summary TEXT NOT NULL, wait_start INTEGER NOT NULL, arrival INTEGER NOT NULL, max_wait_seconds INTEGER NOT NULL,
  deadline INTEGER NOT NULL, expired_notified INTEGER NOT NULL DEFAULT 0, transferred_from TEXT,
  agent_id TEXT, agent_name TEXT, claimed_at INTEGER, ended_at INTEGER, outcome TEXT, abandoned INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS entries_active ON entries (conversation_id) WHERE state IN ('waiting', 'held');
CREATE INDEX IF NOT EXISTS entries_line ON entries (state, wait_start, arrival);
CREATE INDEX IF NOT EXISTS entries_claims ON entries (claimed_at) WHERE claimed_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS replies (entry_id TEXT NOT NULL, message_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (entry_id, message_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes (entry_id TEXT NOT NULL, note_id TEXT NOT NULL, at INTEGER NOT NULL, agent_id TEXT NOT NULL, agent_name TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (entry_id, note_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tickets (ticket_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, user TEXT NOT NULL, language TEXT NOT NULL, text TEXT NOT NULL, summary TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, agent_id TEXT NOT NULL, entry_id TEXT NOT NULL, action TEXT NOT NULL, to_queue TEXT);
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, call TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ratings (entry_id TEXT PRIMARY KEY, score INTEGER NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
`;

export type EntryState = "waiting" | "held" | "resolved" | "transferred" | "cancelled";

export interface Entry {
  entryId: string;
  conversationId: string;
  user: string;
  state: EntryState;
  summary: HandoffSummary;
  waitStart: number;
  arrival: number;
  maxWaitSeconds: number;
  deadline: number;
  expiredNotified: boolean;
  transferredFrom: string | null;
  agent: AgentRef | null;
  claimedAt: number | null;
}

export type NewEntry = Omit<Entry, "state" | "arrival" | "expiredNotified" | "agent" | "claimedAt">;

type EntryRow = {
  entry_id: string;
  conversation_id: string;
  user: string;
  state: string;
  summary: string;
  wait_start: number;
  arrival: number;
  max_wait_seconds: number;
  deadline: number;
  expired_notified: number;
  transferred_from: string | null;
  agent_id: string | null;
  agent_name: string | null;
  claimed_at: number | null;
};

/** The queue's SQLite storage. Its JSON columns are only written here, so reading them back is the one cast. */
export class QueueStore {
  /** The calls the queue owes conversations (conversation-calls.ts), in the same database. */
  readonly outbox: OutboxStore;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    this.outbox = new OutboxStore(sql);
  }

  meta(key: string): string | null {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ?? null;
  }

  putMeta(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }

  entry(entryId: string): Entry | null {
    return this.entries("SELECT * FROM entries WHERE entry_id = ?", entryId)[0] ?? null;
  }

  /** The conversation's waiting or held entry. */
  activeEntry(conversationId: string): Entry | null {
    return this.entries("SELECT * FROM entries WHERE conversation_id = ? AND state IN ('waiting', 'held')", conversationId)[0] ?? null;
  }

  /** The conversation's last entry an agent ended (resolved or transferred): where a rating belongs. */
  lastEndedEntry(conversationId: string): Entry | null {
    const sql = "SELECT * FROM entries WHERE conversation_id = ? AND state IN ('resolved', 'transferred') ORDER BY ended_at DESC LIMIT 1";
    return this.entries(sql, conversationId)[0] ?? null;
  }

  /** The waiting line, first come first served (compareLinePlaces, in SQL). */
  waiting(): Entry[] {
    return this.entries("SELECT * FROM entries WHERE state = 'waiting' ORDER BY wait_start, arrival");
  }

  waitingCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM entries WHERE state = 'waiting'").one().n;
  }

  /** 1-based place of a waiting entry: how many wait ahead of it (compareLinePlaces), plus one. */
  positionOf(entry: Pick<Entry, "waitStart" | "arrival">): number {
    const sql = "SELECT COUNT(*) AS n FROM entries WHERE state = 'waiting' AND (wait_start < ? OR (wait_start = ? AND arrival < ?))";
    return this.sql.exec<{ n: number }>(sql, entry.waitStart, entry.waitStart, entry.arrival).one().n + 1;
  }

  heldBy(agentId: string): Entry[] {
    return this.entries("SELECT * FROM entries WHERE state = 'held' AND agent_id = ? ORDER BY claimed_at", agentId);
  }

  insertEntry(entry: NewEntry): Entry {
    const arrival = this.sql.exec<{ next: number }>("SELECT COALESCE(MAX(arrival), 0) + 1 AS next FROM entries").one().next;
    this.sql.exec(
      `INSERT INTO entries (entry_id, conversation_id, user, state, summary, wait_start, arrival, max_wait_seconds, deadline, transferred_from)
       VALUES (?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?)`,
      entry.entryId,
      entry.conversationId,
      entry.user,
      JSON.stringify(entry.summary),
      entry.waitStart,
      arrival,
      entry.maxWaitSeconds,
      entry.deadline,
      entry.transferredFrom,
    );
    return { ...entry, state: "waiting", arrival, expiredNotified: false, agent: null, claimedAt: null };
  }

  /** waiting → held, only if it is still waiting: true for the one caller that changed it. */
  claim(entryId: string, agent: AgentRef, at: number): boolean {
    const sql = "UPDATE entries SET state = 'held', agent_id = ?, agent_name = ?, claimed_at = ? WHERE entry_id = ? AND state = 'waiting' RETURNING entry_id";
    return this.sql.exec(sql, agent.agentId, agent.agentName, at, entryId).toArray().length === 1;
  }

  /** An active entry leaves the line or its agent. */
  finish(entryId: string, state: Exclude<EntryState, "waiting" | "held">, outcome: string, at: number, abandoned: boolean): void {
    const sql = "UPDATE entries SET state = ?, outcome = ?, ended_at = ?, abandoned = ? WHERE entry_id = ? AND state IN ('waiting', 'held')";
    this.sql.exec(sql, state, outcome, at, abandoned ? 1 : 0, entryId);
  }

  putSummary(entryId: string, summary: HandoffSummary): void {
    this.sql.exec("UPDATE entries SET summary = ? WHERE entry_id = ?", JSON.stringify(summary), entryId);
  }

  /** Waiting entries past their deadline whose conversation was not told yet. */
  overdue(now: number): Entry[] {
    return this.entries("SELECT * FROM entries WHERE state = 'waiting' AND expired_notified = 0 AND deadline <= ? ORDER BY deadline", now);
  }

  markExpiredNotified(entryId: string): void {
    this.sql.exec("UPDATE entries SET expired_notified = 1 WHERE entry_id = ?", entryId);
  }

  /** The earliest deadline still to be told, or null. */
  nextDeadline(): number | null {
    const sql = "SELECT MIN(deadline) AS at FROM entries WHERE state = 'waiting' AND expired_notified = 0";
    return this.sql.exec<{ at: number | null }>(sql).one().at;
  }

  /** An erased conversation leaves no text behind: summaries, notes and tickets go; counts stay. */
  scrub(conversationId: string, emptySummary: HandoffSummary): void {
    const erasedId = `erased`;
    this.sql.exec("DELETE FROM notes WHERE entry_id IN (SELECT entry_id FROM entries WHERE conversation_id = ?)", conversationId);
    this.sql.exec("DELETE FROM tickets WHERE conversation_id = ?", conversationId);
    this.sql.exec("DELETE FROM outbox WHERE conversation_id = ?", conversationId);
    const sql = "UPDATE entries SET summary = ?, user = '', conversation_id = ? WHERE conversation_id = ? AND state NOT IN ('waiting', 'held')";
    this.sql.exec(sql, JSON.stringify(emptySummary), erasedId, conversationId);
  }

  reply(entryId: string, messageId: string): number | null {
    const sql = "SELECT seq FROM replies WHERE entry_id = ? AND message_id = ?";
    return this.sql.exec<{ seq: number }>(sql, entryId, messageId).toArray()[0]?.seq ?? null;
  }

  /** True when this messageId was new. */
  putReply(entryId: string, messageId: string, seq: number): boolean {
    const sql = "INSERT INTO replies (entry_id, message_id, seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING seq";
    return this.sql.exec(sql, entryId, messageId, seq).toArray().length === 1;
  }

  notes(entryId: string): AgentNote[] {
    return this.sql
      .exec<{ note_id: string; at: number; agent_id: string; agent_name: string; text: string }>("SELECT * FROM notes WHERE entry_id = ? ORDER BY at", entryId)
      .toArray()
      .map((row) => ({ noteId: row.note_id, at: row.at, author: { id: row.agent_id, name: row.agent_name }, text: row.text }));
  }

  /** True when this noteId was new. */
  putNote(entryId: string, note: AgentNote): boolean {
    const sql = "INSERT INTO notes (entry_id, note_id, at, agent_id, agent_name, text) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING note_id";
    return this.sql.exec(sql, entryId, note.noteId, note.at, note.author.id, note.author.name, note.text).toArray().length === 1;
  }

  ticketAt(conversationId: string, at: number): string | null {
    const sql = "SELECT ticket_id FROM tickets WHERE conversation_id = ? AND at = ?";
    return this.sql.exec<{ ticket_id: string }>(sql, conversationId, at).toArray()[0]?.ticket_id ?? null;
  }

  putTicket(ticket: Ticket & { conversationId: string; user: string }): void {
    const sql = "INSERT INTO tickets (ticket_id, conversation_id, user, language, text, summary, at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    this.sql.exec(sql, ticket.ticketId, ticket.conversationId, ticket.user, ticket.language, ticket.text, JSON.stringify(ticket.summary), ticket.at);
  }

  tickets(limit: number): Ticket[] {
    return this.sql
      .exec<{ ticket_id: string; at: number; language: string; text: string; summary: string }>("SELECT * FROM tickets ORDER BY at DESC LIMIT ?", limit)
      .toArray()
      .map((row) => ({
        ticketId: row.ticket_id,
        at: row.at,
        language: row.language === "zh" ? "zh" : "en",
        text: row.text,
        summary: JSON.parse(row.summary) as HandoffSummary,
      }));
  }

  audit(at: number, agentId: string, entryId: string, action: AuditAction, toQueue?: string): void {
    this.sql.exec("INSERT INTO audit (at, agent_id, entry_id, action, to_queue) VALUES (?, ?, ?, ?, ?)", at, agentId, entryId, action, toQueue ?? null);
  }

  auditTrail(limit: number): AuditRow[] {
    return this.sql
      .exec<{ at: number; agent_id: string; entry_id: string; action: AuditAction; to_queue: string | null }>(
        "SELECT * FROM audit ORDER BY id DESC LIMIT ?",
        limit,
      )
      .toArray()
      .map((row) => ({ at: row.at, agentId: row.agent_id, entryId: row.entry_id, action: row.action, ...(row.to_queue ? { toQueue: row.to_queue } : {}) }));
  }

  /** True when this entry had no rating yet. */
  putRating(entryId: string, score: number, at: number): boolean {
    const sql = "INSERT INTO ratings (entry_id, score, at) VALUES (?, ?, ?) ON CONFLICT (entry_id) DO NOTHING RETURNING entry_id";
    return this.sql.exec(sql, entryId, score, at).toArray().length === 1;
  }

  /** Waits before the claim of the last `limit` claims, and their claim times (newest first). */
  recentClaims(limit: number): { claimedAt: number; waitedMs: number }[] {
    const sql = "SELECT claimed_at, wait_start FROM entries WHERE claimed_at IS NOT NULL ORDER BY claimed_at DESC LIMIT ?";
    return this.sql
      .exec<{ claimed_at: number; wait_start: number }>(sql, limit)
      .toArray()
      .map((row) => ({ claimedAt: row.claimed_at, waitedMs: row.claimed_at - row.wait_start }));
  }

  counts(): { handled: number; abandoned: number; tickets: number; ratings: number; ratingSum: number } {
    const sql = `SELECT (SELECT COUNT(*) FROM entries WHERE claimed_at IS NOT NULL) AS handled,
      (SELECT COUNT(*) FROM entries WHERE abandoned = 1) AS abandoned, (SELECT COUNT(*) FROM tickets) AS tickets,
      (SELECT COUNT(*) FROM ratings) AS ratings, (SELECT COALESCE(SUM(score), 0) FROM ratings) AS ratingSum`;
    return this.sql.exec<{ handled: number; abandoned: number; tickets: number; ratings: number; ratingSum: number }>(sql).one();
  }

  private entries(sql: string, ...bindings: (string | number)[]): Entry[] {
    return this.sql
      .exec<EntryRow>(sql, ...bindings)
      .toArray()
      .map(entryOf);
  }
}

function entryOf(row: EntryRow): Entry {
  return {
    entryId: row.entry_id,
    conversationId: row.conversation_id,
    user: row.user,
    state: row.state as EntryState,
    summary: JSON.parse(row.summary) as HandoffSummary,
    waitStart: row.wait_start,
    arrival: row.arrival,
    maxWaitSeconds: row.max_wait_seconds,
    deadline: row.deadline,
    expiredNotified: row.expired_notified === 1,
    transferredFrom: row.transferred_from,
    agent: row.agent_id ? { agentId: row.agent_id, agentName: row.agent_name ?? row.agent_id } : null,
    claimedAt: row.claimed_at,
  };
}
