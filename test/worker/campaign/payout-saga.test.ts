import type { WorkflowInstanceIntrospector } from "cloudflare:test";
import { introspectWorkflowInstance, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startPayout } from "../../../durable-objects/campaign/payout-starter.js";
import { payoutIdempotencyKey, payoutInstanceId } from "../../../src/campaign/payout-id.js";
import type { PayoutSagaOutput } from "../../../src/campaign/payout-saga-plan.js";
import { paymentRequestOf } from "../../../src/campaign/payout-saga-plan.js";
import type { ProviderCheck } from "../../../src/campaign/provider-reconcile.js";
import { shardName } from "../../../src/campaign/shard-of.js";
import type { PayoutNotice, PayoutRecord } from "../../../src/campaign/types.js";
import type { FakeFaults } from "../../../src/payments/fake-state.js";
import { httpPaymentProvider } from "../../../src/payments/http-provider.js";
import { FAKE_PAYMENTS_ORIGIN, FAKE_PAYMENTS_SECRET } from "../../fakes/payments.js";
import { call } from "../helpers.js";
import { metricsAdmin, movedBy, scrape } from "../metrics/scrape.js";
import { fake, ledgerOf, postPaidCallback } from "./fake-payments.js";
import { campaign, create, draw, reconciliation } from "./fixtures.js";

type Modifier = Parameters<Parameters<WorkflowInstanceIntrospector["modify"]>[0]>[0];

const AMOUNT = 500;

/** One shard, one cash prize that every draw wins: a draw is a reservation and a saga. */
const cashOnly = (id: string) =>
  campaign(id, {
    shards: 1,
    budget: 2 * AMOUNT,
    noPrizeWeight: 0,
    prizes: [{ id: "cash-5", kind: "cash", amount: AMOUNT, count: 2, weight: 1, label: { en: "¥5.00", zh: "5元" } }],
  });

const shardOf = (campaignId: string) => env.CAMPAIGN_SHARD.getByName(shardName(campaignId, 0));

interface Win {
  drawId: string;
  instance: WorkflowInstanceIntrospector;
}

/**
 * A campaign, the provider's faults, then a winning draw: the shard reserves the prize and starts
 * the saga, which `modify` shapes before it runs (retry delays off: backoff is unit-tested).
 */
async function win(campaignId: string, faults: FakeFaults = {}, modify?: (m: Modifier) => Promise<void>, noDelays?: { name: string }[]): Promise<Win> {
  expect((await create(cashOnly(campaignId))).status).toBe(201);
  await fake(campaignId, "faults", faults);
  const drawId = `${campaignId}:winner:1`;
  const instance = await introspectWorkflowInstance(env.PAYOUTS, await payoutInstanceId(drawId));
  await instance.modify(async (m) => {
    await m.disableRetryDelays(noDelays);
    await modify?.(m);
  });
  const result = await draw(campaignId, "winner", "turn-1");
  expect(result).toMatchObject({ outcome: "won", drawId, prize: { kind: "cash", amount: AMOUNT } });
  return { drawId, instance };
}

async function outputOf(instance: WorkflowInstanceIntrospector): Promise<PayoutSagaOutput> {
  await instance.waitForStatus("complete");
  return (await instance.getOutput()) as PayoutSagaOutput;
}

const recordOf = async (campaignId: string, drawId: string) => (await shardOf(campaignId).payout(drawId)) as PayoutRecord | null;

/** Whether the winner's conversation holds this notice: telling it again is a duplicate. */
async function told(record: PayoutRecord, outcome: PayoutNotice["outcome"], reason?: string): Promise<boolean> {
  const notice: PayoutNotice = {
    drawId: record.drawId,
    outcome,
    prizeId: record.prizeId,
    amount: record.amount,
    currency: record.currency,
    ...(reason ? { reason } : {}),
  };
  return (await env.CONVERSATION.getByName(record.conversationId).payoutNotice(notice)).duplicate;
}

/** The win was paid exactly once, settled in the shard, and the winner told. */
async function expectPaidOnce(campaignId: string, drawId: string, output: PayoutSagaOutput): Promise<void> {
  expect(output).toMatchObject({ drawId, outcome: "paid", notified: true });
  const ledger = await ledgerOf(campaignId);
  expect(ledger.payments).toEqual([
    expect.objectContaining({ idempotencyKey: await payoutIdempotencyKey(drawId), reference: drawId, amount: AMOUNT, status: "paid" }),
  ]);
  expect(ledger.totals.paid).toEqual({ CNY: AMOUNT });
  const record = await recordOf(campaignId, drawId);
  expect(record).toMatchObject({ state: "paid", providerRef: expect.any(String) });
  if (record) expect(await told(record, "paid")).toBe(true);
}

describe("the payout saga, through the Workflows engine", () => {
  it("pays a win once, settles it in the shard and tells the winner", async () => {
    const { drawId, instance } = await win("saga-happy");
    await expectPaidOnce("saga-happy", drawId, await outputOf(instance));
    const totals = (await reconciliation("saga-happy")).totals;
    expect(totals.cash.paid).toEqual({ count: 1, amount: AMOUNT });
    expect(totals.cash.reserved.count).toBe(0);
  });

  it("retries 5xx answers with backoff and pays once the provider recovers; the failed attempts are counted", async () => {
    const admin = await metricsAdmin();
    const before = await scrape(admin);
    const { drawId, instance } = await win("saga-5xx", { fail5xx: 3 });
    await expectPaidOnce("saga-5xx", drawId, await outputOf(instance));
    expect(await fake("saga-5xx", "faults")).toMatchObject({ fail5xx: 0 });
    // Each 503 failed one attempt of "pay" (its status check or its payment).
    const retries = 'parley_payout_saga_retries_total{campaign="saga-5xx",step="pay"}';
    expect(await movedBy(admin, before, { [retries]: 3 })).toEqual({ [retries]: 3 });
  });

  it("after a timeout that hid a success, asks the provider and pays nothing more", async () => {
    const { drawId, instance } = await win("saga-timeout", { timeoutAfterSuccess: 1, timeoutDelayMs: 0 });
    await expectPaidOnce("saga-timeout", drawId, await outputOf(instance));
    expect(await fake("saga-timeout", "faults")).toMatchObject({ timeoutAfterSuccess: 0 });
  });

  it("a business rejection releases the reservation into the pool and tells the winner it failed", async () => {
    const { drawId, instance } = await win("saga-reject", { rejectAll: "invalid_account" });
    expect(await outputOf(instance)).toEqual({ drawId, outcome: "compensated", reason: "invalid_account", notified: true });
    const record = await recordOf("saga-reject", drawId);
    expect(record).toMatchObject({ state: "released", reason: "invalid_account" });
    if (record) expect(await told(record, "failed", "invalid_account")).toBe(true);
    const { totals, shards, coordinator } = await reconciliation("saga-reject");
    expect(totals.cash.released).toEqual({ count: 1, amount: AMOUNT });
    expect(totals.budgetLeft).toBe(2 * AMOUNT);
    const prizesLeft = shards.reduce((sum, shard) => sum + (shard.left.prizes["cash-5"] ?? 0), coordinator.remainder.prizes["cash-5"] ?? 0);
    expect(prizesLeft).toBe(2);
    expect((await ledgerOf("saga-reject")).totals.count).toBe(0);
  });

  it("a step timeout on 'pay' is retried, and the win is paid once", async () => {
    const { drawId, instance } = await win("saga-step-timeout", {}, (m) => m.forceStepTimeout({ name: "pay" }, 2));
    await expectPaidOnce("saga-step-timeout", drawId, await outputOf(instance));
  });

  it("when every 'pay' attempt times out, the win stays reserved and the saga ends unsettled (and is counted so)", async () => {
    const admin = await metricsAdmin();
    const before = await scrape(admin);
    const { drawId, instance } = await win("saga-unsettled", {}, (m) => m.forceStepTimeout({ name: "pay" }));
    expect(await outputOf(instance)).toMatchObject({ drawId, outcome: "unsettled", reason: expect.stringContaining("unknown") });
    expect(await recordOf("saga-unsettled", drawId)).toMatchObject({ state: "reserved" });
    expect((await reconciliation("saga-unsettled")).totals.cash.reserved).toEqual({ count: 1, amount: AMOUNT });
    const unsettled = 'parley_payouts_total{campaign="saga-unsettled",outcome="unsettled"}';
    expect(await movedBy(admin, before, { [unsettled]: 1 })).toEqual({ [unsettled]: 1 });
  });

  it("a repeated start, and a second saga for the same draw, pay once", async () => {
    const { drawId, instance } = await win("saga-twice");
    const params = { drawId, campaignId: "saga-twice", shard: 0 };
    const second = await introspectWorkflowInstance(env.PAYOUTS, "payout-second-saga-twice");
    await second.modify((m) => m.disableRetryDelays());
    await env.PAYOUTS.create({ id: "payout-second-saga-twice", params });
    await startPayout(env, params);
    await expectPaidOnce("saga-twice", drawId, await outputOf(instance));
    expect(await outputOf(second)).toMatchObject({ drawId, outcome: "paid", notified: true });
    await startPayout(env, params);
    expect((await ledgerOf("saga-twice")).payments).toHaveLength(1);
  });

  it("a restart of the shard mid-saga still ends paid once", async () => {
    // The first settle fails; the shard is aborted during the retry's delay (left on for "settle").
    const failSettle = (m: Modifier) => m.mockStepError({ name: "settle" }, new Error("Durable Object reset because its code was updated"), 1);
    const { drawId, instance } = await win("saga-restart", {}, failSettle, [{ name: "check reservation" }, { name: "pay" }]);
    await instance.waitForStepResult({ name: "pay" });
    await runInDurableObject(shardOf("saga-restart"), (_, state) => state.abort("a restart mid-saga")).catch(() => undefined);
    await expectPaidOnce("saga-restart", drawId, await outputOf(instance));
  });

  it("a pending payment whose callback never comes is settled by asking the provider", async () => {
    const { drawId, instance } = await win("saga-no-callback", { async: true }, (m) => m.forceEventTimeout({ name: "payment callback" }));
    await expectPaidOnce("saga-no-callback", drawId, await outputOf(instance));
  });

  it("a pending payment is settled by the provider's signed callback; a duplicate changes nothing", async () => {
    const { drawId, instance } = await win("saga-pending", { async: true, callbackDelayMs: 0 });
    expect(await instance.waitForStepResult({ name: "pay" })).toMatchObject({ status: "pending" });
    for (let copy = 0; copy < 2; copy++) {
      const response = await postPaidCallback(drawId, AMOUNT, "evt-1", "fake_pay_1");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: true });
    }
    await expectPaidOnce("saga-pending", drawId, await outputOf(instance));
  });

  it("reconciles the ledger against the provider: a paid win is confirmed, a win the provider paid behind the ledger's back is reported", async () => {
    const admin = async (campaignId: string) => {
      const response = await call(`/v1/admin/campaigns/${campaignId}/reconcile?provider=true`, { token: await metricsAdmin() });
      expect(response.status).toBe(200);
      return (await response.json()) as { ok: boolean; provider: ProviderCheck };
    };
    const paid = await win("saga-recon-paid");
    await outputOf(paid.instance);
    expect(await admin("saga-recon-paid")).toMatchObject({
      ok: true,
      provider: { checked: 1, confirmed: { count: 1, amount: AMOUNT }, inFlight: 0, differences: [] },
    });

    const stuck = await win("saga-recon-stuck", {}, (m) => m.forceStepTimeout({ name: "pay" }));
    expect(await outputOf(stuck.instance)).toMatchObject({ outcome: "unsettled" });
    expect(await admin("saga-recon-stuck")).toMatchObject({ ok: true, provider: { checked: 1, confirmed: { count: 0 }, inFlight: 1, differences: [] } });
    // The provider pays that key after all (an operator's retry elsewhere, a late success): the books must say so.
    const record = await recordOf("saga-recon-stuck", stuck.drawId);
    if (!record) throw new Error("no reservation");
    const provider = httpPaymentProvider({
      baseUrl: FAKE_PAYMENTS_ORIGIN,
      secret: FAKE_PAYMENTS_SECRET,
      fetch: (url, init) => fetch(url, init),
      timeoutMs: 5000,
    });
    expect(await provider.pay(paymentRequestOf(record, await payoutIdempotencyKey(stuck.drawId)))).toMatchObject({ status: "paid" });
    expect(await admin("saga-recon-stuck")).toMatchObject({
      ok: false,
      provider: { inFlight: 0, differences: [{ drawId: stuck.drawId, amount: AMOUNT, ledger: "reserved", provider: "paid", problem: "paid_not_settled" }] },
    });
  });
});
