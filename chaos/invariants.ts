/**
 * The invariants of a conversation, checked from what the client sent and what the API shows
 * afterwards — pure, so that the checker itself is tested (test/unit/chaos/invariants.test.ts).
 */

/** How one turn the client sent ended, as the client saw it. */
export type TurnFate =
  /** answered 200: `seq` is the seq of the bot's reply */
  | { kind: "acked"; seq: number }
  /** answered 429: it must never be applied */
  | { kind: "refused" }
  /** never answered (connection lost, timeout, 5xx) even after every retry: applied at most once */
  | { kind: "unknown" };

/** One turn, in the order the client sent it (one at a time per user, so order is meaningful). */
export interface SentTurn {
  clientMessageId: string;
  fate: TurnFate;
  /** it took more than one attempt (an attempt was unanswered, then it was re-sent with the same clientMessageId) */
  resent: boolean;
}

/** A user message in history, as `GET /v1/conversation/messages` shows it. */
export interface HistoryMessage {
  seq: number;
  role: "user" | "bot";
  clientMessageId?: string;
}

export interface Violations {
  /** acknowledged but not in history */
  lost: number;
  /** extra copies of one clientMessageId in history */
  duplicated: number;
  /** turns found in history out of the order they were sent */
  reordered: number;
  /** answered 429 yet applied, or in history without having been sent */
  phantom: number;
  /** acknowledged with a seq that is not the seq of a bot message following it */
  wrongSeq: number;
  /** what each violation was, for the report */
  details: string[];
}

export function noViolations(): Violations {
  return { lost: 0, duplicated: 0, reordered: 0, phantom: 0, wrongSeq: 0, details: [] };
}

export function addViolations(into: Violations, more: Violations): void {
  into.lost += more.lost;
  into.duplicated += more.duplicated;
  into.reordered += more.reordered;
  into.phantom += more.phantom;
  into.wrongSeq += more.wrongSeq;
  into.details.push(...more.details.slice(0, Math.max(0, 20 - into.details.length)));
}

export function violationCount(v: Violations): number {
  return v.lost + v.duplicated + v.reordered + v.phantom + v.wrongSeq;
}

/**
 * Checks one user's history against the turns sent, in order: every acknowledged turn exactly
 * once, in the order sent; a refused turn never; an unknown one at most once.
 *
 * @example
 * checkHistory("u1", [{ clientMessageId: "a", fate: { kind: "acked", seq: 2 }, resent: false }],
 *   [{ seq: 1, role: "user", clientMessageId: "a" }, { seq: 2, role: "bot" }]); // no violations
 */
export function checkHistory(userId: string, sent: readonly SentTurn[], history: readonly HistoryMessage[]): Violations {
  const v = noViolations();
  const seqsById = new Map<string, number[]>();
  for (const message of history) {
    if (message.role !== "user" || message.clientMessageId === undefined) continue;
    const seqs = seqsById.get(message.clientMessageId) ?? [];
    seqs.push(message.seq);
    seqsById.set(message.clientMessageId, seqs);
  }
  const sentIds = new Set(sent.map((turn) => turn.clientMessageId));
  for (const [id, seqs] of seqsById) {
    if (seqs.length > 1) note(v, "duplicated", seqs.length - 1, `${userId}: ${id} ${seqs.length} times (seqs ${seqs.join(", ")})`);
    if (!sentIds.has(id)) note(v, "phantom", 1, `${userId}: ${id} in history, never sent`);
  }
  let lastSeq = 0;
  for (const turn of sent) {
    const seqs = seqsById.get(turn.clientMessageId) ?? [];
    const first = seqs[0];
    if (turn.fate.kind === "refused" && first !== undefined)
      note(v, "phantom", 1, `${userId}: ${turn.clientMessageId} answered 429 yet applied at seq ${first}`);
    if (turn.fate.kind === "acked") {
      if (first === undefined) note(v, "lost", 1, `${userId}: ${turn.clientMessageId} acknowledged (seq ${turn.fate.seq}) but not in history`);
      else if (!repliedAt(history, first, turn.fate.seq))
        note(v, "wrongSeq", 1, `${userId}: ${turn.clientMessageId} at ${first}, acknowledged as ${turn.fate.seq}`);
    }
    if (first === undefined) continue;
    if (first < lastSeq) note(v, "reordered", 1, `${userId}: ${turn.clientMessageId} at seq ${first}, after a later-sent turn at ${lastSeq}`);
    lastSeq = Math.max(lastSeq, first);
  }
  return v;
}

/** The acknowledged seq is a bot message after the user's message and before the next user message. */
function repliedAt(history: readonly HistoryMessage[], userSeq: number, ackSeq: number): boolean {
  if (ackSeq <= userSeq) return false;
  const bot = history.find((message) => message.seq === ackSeq);
  if (bot?.role !== "bot") return false;
  return !history.some((message) => message.role === "user" && message.seq > userSeq && message.seq < ackSeq);
}

function note(v: Violations, kind: "lost" | "duplicated" | "reordered" | "phantom" | "wrongSeq", count: number, detail: string): void {
  v[kind] += count;
  if (v.details.length < 20) v.details.push(`${kind}: ${detail}`);
}

/**
 * An export's seqs must run 1, 2, 3, … with no gap and no repeat: `seq` counts every event.
 * Returns the number of breaks.
 *
 * @example
 * exportBreaks([1, 2, 4]); // 1
 */
export function exportBreaks(seqs: readonly number[]): number {
  let breaks = 0;
  let previous = 0;
  for (const seq of seqs) {
    if (seq !== previous + 1) breaks++;
    previous = seq;
  }
  return breaks;
}
