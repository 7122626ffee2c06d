import type { AgentRef, HandBack } from "../../src/handoff/types.js";

/** A call to a conversation that must happen (at least once), in order per conversation. */
export type ConversationCall =
  | { call: "agentJoined"; agent: AgentRef }
  | { call: "agentLeft"; agent: AgentRef; handBack: HandBack }
  | { call: "waitExpired"; queue: string };

export interface PendingCall {
  id: number;
  conversationId: string;
  call: ConversationCall;
  attempts: number;
}

/** The `outbox` table (created with the queue's schema, queue-store.ts): one row per call owed, retried until made. */
export class OutboxStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Forgets calls that no longer apply (a join or a max-wait notice for a conversation that left). */
  drop(conversationId: string, calls: readonly ConversationCall["call"][]): void {
    for (const call of calls) this.sql.exec("DELETE FROM outbox WHERE conversation_id = ? AND json_extract(call, '$.call') = ?", conversationId, call);
  }

  pending(conversationId: string): PendingCall[] {
    return this.sql
      .exec<{ id: number; conversation_id: string; call: string; attempts: number }>(
        "SELECT * FROM outbox WHERE conversation_id = ? ORDER BY id",
        conversationId,
      )
      .toArray()
      .map((row) => ({ id: row.id, conversationId: row.conversation_id, call: JSON.parse(row.call) as ConversationCall, attempts: row.attempts }));
  }

  /** Conversations with a call due by `now`. */
  dueConversations(now: number): string[] {
    return this.sql
      .exec<{ conversation_id: string }>("SELECT DISTINCT conversation_id FROM outbox WHERE next_at <= ?", now)
      .toArray()
      .map((row) => row.conversation_id);
  }

  done(id: number): void {
    this.sql.exec("DELETE FROM outbox WHERE id = ?", id);
  }

  retry(id: number, nextAt: number): void {
    this.sql.exec("UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?", nextAt, id);
  }

  nextRetry(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(next_at) AS at FROM outbox").one().at;
  }

  add(conversationId: string, call: ConversationCall, at: number): void {
    this.sql.exec("INSERT INTO outbox (conversation_id, call, next_at) VALUES (?, ?, ?)", conversationId, JSON.stringify(call), at);
  }
}
