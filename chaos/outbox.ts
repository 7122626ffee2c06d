/**
 * A client's outbox, as the widget and the documented client keep it: a turn is re-sent with the
 * same clientMessageId, with jittered exponential backoff, until it is answered — safe because
 * Parley dedupes by that id.
 */
import type { ParleyApi } from "./api.js";
import type { Tally } from "./figures.js";
import type { SentTurn } from "./invariants.js";

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

/** The wait before retry number `retry` (0-based): exponential, capped, with ±50 % jitter. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** retry);
  return Math.round(base * (0.5 + random()));
}

/**
 * Sends one turn until it is answered or `deadline` (epoch ms) passes. A 429 is final — the turn
 * was refused and must never appear; a 5xx or a lost connection is retried.
 */
export async function sendTurn(api: ParleyApi, userId: string, text: string, clientMessageId: string, tally: Tally, deadline: number): Promise<SentTurn> {
  let resent = false;
  for (let retry = 0; ; retry++) {
    const attempt = await api.turn(userId, text, clientMessageId);
    tally.attempt(attempt);
    if (attempt.kind === "acked") {
      tally.acknowledged++;
      if (resent) tally.unanswered++;
      return { clientMessageId, fate: { kind: "acked", seq: attempt.seq }, resent };
    }
    if (attempt.kind === "refused") {
      if (resent) tally.unanswered++;
      return { clientMessageId, fate: { kind: "refused" }, resent };
    }
    if (attempt.kind === "rejected" || Date.now() >= deadline) {
      tally.unanswered++;
      tally.neverAnswered++;
      return { clientMessageId, fate: { kind: "unknown" }, resent };
    }
    resent = true;
    await new Promise((resolve) => setTimeout(resolve, backoffMs(retry)));
  }
}
