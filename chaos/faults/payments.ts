/**
 * Payment provider faults: a cash lottery drawn through the chat while the fake provider
 * (scripts/fake-payments.ts) answers 5xx, loses its answer after paying, sends every callback
 * twice, or rejects every payout. Every cash win must end paid once, or compensated and told;
 * the campaign's ledger must equal the provider's total and never exceed the budget.
 */

import type { FakeLedger, Reconciliation } from "../../bench/flash-setup.js";
import { adminCall, adminToken, flashCampaign, shopDrawingFrom } from "../../bench/flash-setup.js";
import type { FakeFaults } from "../../src/payments/fake-state.js";
import type { ParleyApi } from "../api.js";
import type { ChaosContext, Fault } from "../fault.js";
import { sleep } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import { sendTurn } from "../outbox.js";

/** Where the run's fake provider listens (run.ts starts it and gives it to the dev server). */
export const PAYMENTS = { origin: "", secret: "chaos-payments-secret" };

const SETTLE_MS = 150_000;

const MODES: readonly { name: string; faults: FakeFaults }[] = [
  { name: "5xx", faults: { fail5xx: 6 } },
  { name: "duplicate callbacks", faults: { async: true, duplicateCallbacks: true, callbackDelayMs: 200 } },
  { name: "timeout after success", faults: { timeoutAfterSuccess: 4, timeoutDelayMs: 0 } },
  { name: "rejection", faults: { rejectAll: "invalid_account" } },
];

export const payments: Fault = {
  name: "payments",
  async run(context: ChaosContext): Promise<FaultFigures> {
    // The saga retries a failed payment after 5 s, 10 s, …: the smoke run fails fewer and skips the lost answers.
    const modes = context.smoke
      ? MODES.filter((mode) => mode.name !== "timeout after success").map((mode) => (mode.name === "5xx" ? { ...mode, faults: { fail5xx: 2 } } : mode))
      : MODES;
    const users = context.smoke ? 24 : 80;
    const tally = new Tally();
    const started = Date.now();
    for (const mode of modes) await round(context, mode, users, tally);
    return figuresOf(
      "payment provider faults (cash lottery)",
      `${modes.map((mode) => mode.name).join(", ")}: ${users} draws each`,
      tally,
      (Date.now() - started) / 1000,
    );
  },
};

async function round(context: ChaosContext, mode: { name: string; faults: FakeFaults }, users: number, tally: Tally): Promise<void> {
  const { api } = context;
  const admin = await adminToken();
  const id = `${context.runId}-pay-${mode.name.replace(/\W+/g, "-")}`;
  await setFaults({});
  await adminCall(api.origin, admin, "POST", "/v1/admin/campaigns", flashCampaign(id, 2, users));
  await adminCall(api.origin, admin, "PUT", `/v1/admin/bots/shop/versions/${id}`, shopDrawingFrom(id, id));
  await adminCall(api.origin, admin, "PUT", "/v1/admin/bots/shop/rollout", { stable: id });
  // Every isolate picks the rollout up within its TTL; the first turn after it may still be served
  // the cached one while it refreshes, so one warm-up turn goes first.
  await sleep(2_500);
  await api.turn(`${id}-warmup`, "hello", `${id}-warmup`);
  await sleep(500);
  await setFaults(mode.faults);
  const players = Array.from({ length: users }, (_, i) => `${id}-u${i}`);
  await Promise.all(players.map((user) => sendTurn(api, user, "我要抽奖", `${user}-draw`, tally, Date.now() + 60_000)));
  const recon = await settle(api.origin, admin, id);
  await setFaults({});
  const ledger = (await (await fetch(`${PAYMENTS.origin}/__fake/ledger`)).json()) as FakeLedger;
  const providerPaid = ledger.payments.filter((p) => p.status === "paid" && p.reference.startsWith(`${id}:`)).reduce((sum, p) => sum + p.amount, 0);
  const { paid, released, reserved } = recon.totals.cash;
  const budget = (flashCampaign(id, 2, users) as { budget: number }).budget;
  if (reserved.count > 0) tally.broke(`${mode.name}: ${reserved.count} cash wins still reserved after ${SETTLE_MS / 1000} s`);
  if (!recon.ok) tally.broke(`${mode.name}: reconcile not ok: ${JSON.stringify(recon.differences).slice(0, 200)}`);
  if (paid.amount !== providerPaid) tally.broke(`${mode.name}: ledger paid ${paid.amount}, provider paid ${providerPaid}`);
  if (paid.amount > budget) tally.broke(`${mode.name}: paid ${paid.amount} over the budget ${budget}`);
  const notices = await noticesOf(api, players, id);
  if (notices.elsewhere > 0)
    tally.notes.push(
      `${mode.name}: ${notices.elsewhere} players drew on the previous campaign: the rollout switch had not reached their turn 2.5 s after it was set`,
    );
  if (notices.paid !== paid.count || notices.failed !== released.count) {
    tally.broke(`${mode.name}: told ${notices.paid} paid and ${notices.failed} failed; ledger ${paid.count} paid, ${released.count} released`);
  }
  if (notices.repeated > 0) tally.broke(`${mode.name}: ${notices.repeated} notices repeated for one draw`);
  tally.notes.push(
    `${mode.name}: ${recon.totals.draws} draws, ${paid.count} paid (${paid.amount}), ${released.count} compensated, provider paid ${providerPaid}`,
  );
}

async function setFaults(faults: FakeFaults): Promise<void> {
  const response = await fetch(`${PAYMENTS.origin}/__fake/faults`, { method: "PUT", body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`fake provider faults: ${response.status} ${await response.text()}`);
}

/** Waits until no cash win is reserved (every payout saga ended), then reconciles with the provider. */
export async function settle(origin: string, admin: string, id: string): Promise<Reconciliation> {
  const read = (provider: boolean) =>
    adminCall<Reconciliation>(origin, admin, "GET", `/v1/admin/campaigns/${id}/reconcile${provider ? "?provider=true" : ""}`, undefined, 120_000);
  const deadline = Date.now() + SETTLE_MS;
  while ((await read(false)).totals.cash.reserved.count > 0 && Date.now() < deadline) await sleep(2_000);
  return read(true);
}

/** The payout notices of `campaignId`'s draws in the players' exports: `payout.paid` and `payout.failed` events, and repeats by draw. */
async function noticesOf(
  api: ParleyApi,
  players: readonly string[],
  campaignId: string,
): Promise<{ paid: number; failed: number; repeated: number; elsewhere: number }> {
  const counts = { paid: 0, failed: 0, repeated: 0, elsewhere: 0 };
  for (const user of players) {
    const seen = new Set<string>();
    for (const line of (await api.exportText(user)).split("\n")) {
      if (line.trim() === "") continue;
      const event = JSON.parse(line) as { type: string; data: { drawId?: string } };
      if (event.type !== "payout.paid" && event.type !== "payout.failed") continue;
      const key = `${event.data.drawId}`;
      // drawId is `${campaignId}:${user}:${n}`: a notice of another campaign's draw is not this round's
      if (!key.startsWith(`${campaignId}:`)) {
        counts.elsewhere++;
        continue;
      }
      if (seen.has(key)) counts.repeated++;
      seen.add(key);
      if (event.type === "payout.paid") counts.paid++;
      else counts.failed++;
    }
  }
  return counts;
}
