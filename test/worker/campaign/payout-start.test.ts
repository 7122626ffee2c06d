import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import type { CampaignShard } from "../../../durable-objects/campaign/campaign-shard.js";
import { startPayout } from "../../../durable-objects/campaign/payout-starter.js";
import { payoutInstanceId } from "../../../src/campaign/payout-id.js";
import { shardName, shardOf } from "../../../src/campaign/shard-of.js";
import { eventually } from "../registry/fixtures.js";
import { fake, ledgerOf, postPaidCallback } from "./fake-payments.js";
import { campaign, create, draw, reconciliation, settleAll } from "./fixtures.js";

// Cash wins start payout sagas that outlive their test: the file ends when they have.
afterAll(() => settleAll(), 30_000);

const cashOnly = (id: string) =>
  campaign(id, { noPrizeWeight: 0, shards: 2, prizes: [{ id: "cash-2", kind: "cash", amount: 200, count: 20, weight: 1, label: { en: "¥2.00", zh: "2元" } }] });

const unstarted = (_: CampaignShard, state: DurableObjectState) =>
  state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM payouts WHERE saga_started = 0").one().n;

/** Every reservation of the shard has its saga started: its alarm ran (by itself, or run here). */
async function startedOnShard(stub: DurableObjectStub<CampaignShard>): Promise<void> {
  await eventually(async () => {
    await runDurableObjectAlarm(stub);
    return (await runInDurableObject(stub, unstarted)) === 0 ? true : undefined;
  });
}

describe("starting the payout saga of a cash win", () => {
  it("starts one saga instance per win from the shard's alarm (the draw does not wait for it), named from the draw id; a second start changes nothing", async () => {
    await create(cashOnly("payout-start"));
    const result = await draw("payout-start", "cash-user", "r1");
    expect(result).toMatchObject({ outcome: "won", prize: { kind: "cash", amount: 200 } });
    if (result.outcome !== "won") return;
    const id = await payoutInstanceId(result.drawId);
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(id).toBe(await payoutInstanceId("payout-start:cash-user:1"));
    const stub = env.CAMPAIGN_SHARD.getByName(shardName("payout-start", shardOf("cash-user", 2)));
    // The alarm the draw set runs at once (or is running); the saga has started soon after.
    await startedOnShard(stub);
    expect((await env.PAYOUTS.get(id)).id).toBe(id);
    await startPayout(env, { drawId: result.drawId, campaignId: "payout-start", shard: shardOf("cash-user", 2) });
    expect((await env.PAYOUTS.get(id)).id).toBe(id);
  });

  it("the shard's alarm starts a saga whose start did not happen (a restart between the reservation and the start)", async () => {
    await create(cashOnly("payout-alarm"));
    // The provider answers "pending": the win stays reserved until the test posts the callback,
    // so the row reset below is a reservation in flight, never one already paid.
    await fake("payout-alarm", "faults", { async: true });
    const result = await draw("payout-alarm", "alarm-user", "r1");
    if (result.outcome !== "won") throw new Error(`expected a win, got ${result.outcome}`);
    const stub = env.CAMPAIGN_SHARD.getByName(shardName("payout-alarm", shardOf("alarm-user", 2)));
    await startedOnShard(stub);
    await eventually(async () => ((await ledgerOf("payout-alarm")).payments.length === 1 ? true : undefined));
    await runInDurableObject(stub, async (shard: CampaignShard, state) => {
      expect(unstarted(shard, state)).toBe(0);
      // As if the start was cut off: the row says not started, and the retry alarm is pending.
      state.storage.sql.exec("UPDATE payouts SET saga_started = 0");
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // The alarm starts it (finding the instance there, it only marks the row), or re-arms itself
    // when a start fails: it is run again until the start went through, as the runtime would.
    await startedOnShard(stub);
    // Still the one saga: the provider's callback settles the win it started, once.
    expect((await postPaidCallback(result.drawId, 200, "evt-alarm", "fake_pay_alarm")).status).toBe(200);
    await eventually(async () => ((await reconciliation("payout-alarm")).totals.cash.paid.count === 1 ? true : undefined));
    expect((await ledgerOf("payout-alarm")).payments).toHaveLength(1);
  });
});
