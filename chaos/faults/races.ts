/**
 * Duplicates and races: one clientMessageId sent at once over REST and several WebSockets (one
 * message, one seq, each socket shown it once); then a burst of different messages at once from
 * one user, past the turn budget (seq strictly increasing, export without gaps, every 429 with
 * `Retry-After` and never applied).
 */
import type { ParleyApi } from "../api.js";
import type { ChaosContext, Fault } from "../fault.js";
import { checkExport } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import type { SentTurn } from "../invariants.js";
import { addViolations, checkHistory } from "../invariants.js";
import { UserSocket, socketBreaks } from "../user-socket.js";

const REST_COPIES = 8;
const SOCKETS = 4;
/** more than the turn budget's burst (30): some must be refused */
const BURST = 60;

export const races: Fault = {
  name: "races",
  async run(context: ChaosContext): Promise<FaultFigures> {
    const rounds = context.smoke ? 4 : 20;
    const tally = new Tally();
    const started = Date.now();
    for (let round = 0; round < rounds; round++) {
      await sameIdEverywhere(context.api, `${context.runId}-same-u${round}`, tally);
      await burst(context.api, `${context.runId}-burst-u${round}`, tally);
    }
    tally.notes.push(`${tally.refused} of ${rounds * BURST} burst turns refused with 429`);
    const runs = `${rounds} × (1 id × ${REST_COPIES} REST + ${SOCKETS} sockets; ${BURST} different ids at once)`;
    return figuresOf("duplicates and races", runs, tally, (Date.now() - started) / 1000);
  },
};

async function sameIdEverywhere(api: ParleyApi, userId: string, tally: Tally): Promise<void> {
  const token = await api.tokens.get(userId);
  const sockets = await Promise.all(Array.from({ length: SOCKETS }, () => UserSocket.open(api.origin, token, 0)));
  const id = `${userId}-same`;
  for (const socket of sockets) socket.say("hello", id);
  const attempts = await Promise.all(Array.from({ length: REST_COPIES }, () => api.turn(userId, "hello", id)));
  for (const attempt of attempts) tally.attempt(attempt);
  const seqs = new Set(attempts.flatMap((attempt) => (attempt.kind === "acked" ? [attempt.seq] : [])));
  const fresh = attempts.filter((attempt) => attempt.kind === "acked" && !attempt.duplicate).length;
  if (seqs.size > 1) tally.broke(`${userId}: one clientMessageId answered with seqs ${[...seqs].join(", ")}`);
  if (fresh > 1) tally.broke(`${userId}: ${fresh} answers said duplicate: false`);
  const seq = [...seqs][0];
  if (seq === undefined) {
    tally.unanswered++;
    tally.sample("same id unanswered", JSON.stringify(attempts[0]));
  } else tally.acknowledged++;
  const sent: SentTurn[] = [{ clientMessageId: id, fate: seq === undefined ? { kind: "unknown" } : { kind: "acked", seq }, resent: false }];
  const { messages } = await api.history(userId);
  addViolations(tally.violations, checkHistory(userId, sent, messages));
  const historySeqs = messages.map((message) => message.seq);
  for (const socket of sockets) {
    await socket.waitFor((frame) => frame.seq >= (historySeqs.at(-1) ?? 0));
    for (const line of socketBreaks(socket.seqs, historySeqs, 0)) tally.broke(`${userId}: socket ${line}`);
    if (socket.errors.length > 0) tally.broke(`${userId}: socket error frame ${socket.errors[0]}`);
    socket.raw.drop();
  }
}

async function burst(api: ParleyApi, userId: string, tally: Tally): Promise<void> {
  const ids = Array.from({ length: BURST }, (_, i) => `${userId}-b${i}`);
  const attempts = await Promise.all(ids.map((id, i) => api.turn(userId, i % 2 === 0 ? "hello" : "size 39", id)));
  const sent: SentTurn[] = [];
  attempts.forEach((attempt, i) => {
    tally.attempt(attempt);
    const clientMessageId = ids[i] ?? "";
    if (attempt.kind === "acked") {
      tally.acknowledged++;
      sent.push({ clientMessageId, fate: { kind: "acked", seq: attempt.seq }, resent: false });
    } else if (attempt.kind === "refused") {
      if (attempt.retryAfter === undefined || !(Number(attempt.retryAfter) > 0))
        tally.broke(`${userId}: 429 without a usable Retry-After (${attempt.retryAfter})`);
      sent.push({ clientMessageId, fate: { kind: "refused" }, resent: false });
    } else {
      tally.unanswered++;
      sent.push({ clientMessageId, fate: { kind: "unknown" }, resent: false });
    }
  });
  const ackSeqs = sent.flatMap((turn) => (turn.fate.kind === "acked" ? [turn.fate.seq] : []));
  if (new Set(ackSeqs).size !== ackSeqs.length) tally.broke(`${userId}: two acknowledged turns share a seq`);
  // Sent at once, so no send order: history must follow the order of the acknowledged seqs.
  const bySeq = (turn: SentTurn) => (turn.fate.kind === "acked" ? turn.fate.seq : Number.POSITIVE_INFINITY);
  sent.sort((a, b) => bySeq(a) - bySeq(b));
  const { messages } = await api.history(userId);
  addViolations(tally.violations, checkHistory(userId, sent, messages));
  checkExport(userId, await api.exportText(userId), tally, messages);
}
