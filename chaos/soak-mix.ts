/**
 * The soak's mix beside its REST and socket turns: streamed replies from the fake model (SSE),
 * voice jobs through the speech queues, and cash draws paid by the payout saga — each at a steady
 * pace for the whole soak, each checked at the end: every stream's turn once in history, every
 * voice job `done` with its turn and reply, every cash win paid once with the campaign's ledger
 * equal to the provider's.
 */

import type { FakeLedger } from "../bench/flash-setup.js";
import { adminCall, adminToken, flashCampaign, shopDrawingFrom } from "../bench/flash-setup.js";
import { MODEL_REPLY, QUESTION, llmShop } from "../bench/llm-setup.js";
import type { ChaosContext } from "./fault.js";
import { sleep } from "./fault.js";
import { LLM } from "./faults/llm.js";
import { PAYMENTS, settle } from "./faults/payments.js";
import type { Tally } from "./figures.js";
import type { SentTurn } from "./invariants.js";
import { streamUntilDone } from "./llm-turns.js";
import { sendTurn } from "./outbox.js";
import { finalStatus, postRecording, rolesOf, voiceToken } from "./voice-client.js";

/** Draws in the soak at most: the campaign's cash is sized for them. */
const MAX_DRAWS = 2_000;

export interface MixCounts {
  streams: number;
  voiceJobs: number;
  draws: number;
}

/** Publishes the soak's shop: the lottery drawing from its own campaign, and the `llm` section; the fake model answers the question. */
export async function setUpMix(context: ChaosContext): Promise<string> {
  const { api } = context;
  const admin = await adminToken();
  const id = `${context.runId}-soak`;
  await adminCall(api.origin, admin, "POST", "/v1/admin/campaigns", flashCampaign(id, 2, MAX_DRAWS));
  const version = { ...(shopDrawingFrom(id, id) as object), llm: (llmShop(id) as { llm: unknown }).llm };
  await adminCall(api.origin, admin, "PUT", `/v1/admin/bots/shop/versions/${id}`, version);
  await adminCall(api.origin, admin, "PUT", "/v1/admin/bots/shop/rollout", { stable: id });
  await fetch(`${LLM.origin}/__fake/rules`, { method: "DELETE" });
  await fetch(`${LLM.origin}/__fake/rules`, { method: "POST", body: JSON.stringify([{ match: "return", reply: MODEL_REPLY }]) });
  await sleep(5_000); // past ROLLOUT_TTL_MS + MAX_STALE_MS: every turn runs the soak's version
  return id;
}

/** Until `end`: one streamed turn after another (a few users), each recorded in `sent` for the history check. */
export async function streamLoop(context: ChaosContext, end: number, sent: Map<string, SentTurn[]>, tally: Tally, counts: MixCounts): Promise<void> {
  for (let n = 0; Date.now() < end; n++) {
    const user = `${context.runId}-soak-stream${n % 8}`;
    const turns = sent.get(user) ?? [];
    sent.set(user, turns);
    const clientMessageId = `${user}-q${turns.length}`;
    const answer = await streamUntilDone(context.api, user, QUESTION, clientMessageId, tally);
    const done = answer.events.find((event) => event.event === "done");
    const seq = typeof done?.data.seq === "number" ? done.data.seq : null;
    if (seq === null) tally.broke(`${user}: the stream of ${clientMessageId} never ended with done`);
    else {
      tally.acknowledged++;
      counts.streams++;
    }
    turns.push({ clientMessageId, fate: seq === null ? { kind: "unknown" } : { kind: "acked", seq }, resent: false });
    await sleep(1_000);
  }
}

/** Until `end`: a voice job every few seconds, each awaited to `done` and checked against its user's history. */
export async function voiceLoop(context: ChaosContext, end: number, tally: Tally, counts: MixCounts): Promise<void> {
  const { origin } = context.api;
  for (let n = 0; Date.now() < end; n++) {
    const userId = `${context.runId}-soak-voice${n}`;
    const token = await voiceToken(userId, 7200);
    const jobId = await postRecording(origin, token, { say: "do you have running shoes?", key: userId }, tally);
    if (jobId !== null) {
      const status = await finalStatus(origin, token, jobId, 60_000, 250);
      const roles = await rolesOf(origin, token);
      if (status !== "done") tally.broke(`${userId}: a soak voice job ended ${status}`);
      else if (roles.join(",") !== "user,bot") tally.broke(`${userId}: a soak voice job left history ${roles.join(",")} (want user,bot)`);
      else counts.voiceJobs++;
    }
    await sleep(4_000);
  }
}

/** Until `end`: a new player draws every second or so (recorded in `sent`), up to {@link MAX_DRAWS}. */
export async function drawLoop(context: ChaosContext, id: string, end: number, sent: Map<string, SentTurn[]>, tally: Tally, counts: MixCounts): Promise<void> {
  for (let n = 0; Date.now() < end && n < MAX_DRAWS; n++) {
    const user = `${id}-player${n}`;
    sent.set(user, [await sendTurn(context.api, user, "我要抽奖", `${user}-draw`, tally, Date.now() + 60_000)]);
    counts.draws++;
    await sleep(1_000);
  }
}

/** Every payout saga settled: no cash win reserved, the ledger equal to the provider's, within the budget. */
export async function checkDraws(context: ChaosContext, id: string, tally: Tally): Promise<string> {
  const admin = await adminToken();
  const recon = await settle(context.api.origin, admin, id);
  const ledger = (await (await fetch(`${PAYMENTS.origin}/__fake/ledger`)).json()) as FakeLedger;
  const providerPaid = ledger.payments.filter((p) => p.status === "paid" && p.reference.startsWith(`${id}:`)).reduce((sum, p) => sum + p.amount, 0);
  const { paid, reserved } = recon.totals.cash;
  const budget = (flashCampaign(id, 2, MAX_DRAWS) as { budget: number }).budget;
  if (reserved.count > 0) tally.broke(`soak draws: ${reserved.count} cash wins still reserved`);
  if (!recon.ok) tally.broke(`soak draws: reconcile not ok: ${JSON.stringify(recon.differences).slice(0, 200)}`);
  if (paid.amount !== providerPaid) tally.broke(`soak draws: ledger paid ${paid.amount}, provider paid ${providerPaid}`);
  if (paid.amount > budget) tally.broke(`soak draws: paid ${paid.amount} over the budget ${budget}`);
  return `${recon.totals.draws} draws, ${paid.count} cash wins paid (${paid.amount}), provider paid ${providerPaid}`;
}
