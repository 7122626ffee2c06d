import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { payoutInstanceId } from "../../../src/campaign/payout-id.js";
import type { LatencyFigures, PayoutLatency } from "../../../src/campaign/payout-latency.js";
import { shardName } from "../../../src/campaign/shard-of.js";
import type { PayoutRecord } from "../../../src/campaign/types.js";
import { metricsAdmin, movedBy, scrape } from "../metrics/scrape.js";
import { fake } from "./fake-payments.js";
import { admin, campaign, create, draw } from "./fixtures.js";

const AMOUNT = 300;
const USERS = ["ada", "bob", "cyd", "dee", "eve", "fay", "gus", "hal"];
/** The provider refuses these winners' accounts (the conversation id): their wins are released. */
const REJECTED = new Set(["bob", "fay"]);

/** Two shards, one cash prize that every draw wins, enough of it for everyone. */
const cashForAll = (id: string) =>
  campaign(id, {
    shards: 2,
    budget: 20 * AMOUNT,
    noPrizeWeight: 0,
    prizes: [{ id: "cash-3", kind: "cash", amount: AMOUNT, count: 20, weight: 1, label: { en: "¥3.00", zh: "3元" } }],
  });

/** Every user wins once; the sagas run without retry delays until each has ended. */
async function everyoneWins(campaignId: string, users = USERS): Promise<PayoutRecord[]> {
  expect((await create(cashForAll(campaignId))).status).toBe(201);
  const rejectAccounts = Object.fromEntries([...REJECTED].map((user) => [`conversation-of-${user}`, "invalid_account"]));
  await fake(campaignId, "faults", { rejectAccounts });
  const records: PayoutRecord[] = [];
  for (const user of users) {
    const drawId = `${campaignId}:${user}:1`;
    const instance = await introspectWorkflowInstance(env.PAYOUTS, await payoutInstanceId(drawId));
    await instance.modify((m) => m.disableRetryDelays());
    const result = await draw(campaignId, user, "turn-1");
    expect(result).toMatchObject({ outcome: "won", drawId });
    await instance.waitForStatus("complete");
    const shard = result.outcome === "won" ? await shardOfDraw(campaignId, drawId) : null;
    if (shard) records.push(shard);
  }
  return records;
}

async function shardOfDraw(campaignId: string, drawId: string): Promise<PayoutRecord | null> {
  for (const i of [0, 1]) {
    const record = (await env.CAMPAIGN_SHARD.getByName(shardName(campaignId, i)).payout(drawId)) as PayoutRecord | null;
    if (record) return record;
  }
  return null;
}

const tookMs = (record: PayoutRecord) => (record.settledAt ?? Number.NaN) - record.reservedAt;

/** Nearest rank, as a shard computes it from its own records. */
function exactFigures(durations: number[]): Omit<LatencyFigures, "buckets"> {
  const sorted = [...durations].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.ceil(q * sorted.length) - 1] ?? null;
  return { count: sorted.length, p50Ms: rank(0.5), p90Ms: rank(0.9), maxMs: sorted.at(-1) ?? null };
}

interface Books {
  totals: { payoutLatency: PayoutLatency };
  shards: { shard: number; payoutLatency: PayoutLatency }[];
}

describe("payout latency in the campaign's books", () => {
  it("shows each shard's exact reservation-to-settlement figures, paid and released apart, and their sum", async () => {
    const records = await everyoneWins("latency-books");
    expect(records.map((record) => record.state).sort()).toEqual([...Array(6).fill("paid"), "released", "released"]);
    const books = (await (await admin("/latency-books/reconcile")).json()) as Books;
    for (const state of ["paid", "released"] as const) {
      for (const shard of books.shards) {
        const mine = records.filter((record) => record.shard === shard.shard && record.state === state);
        expect(shard.payoutLatency[state]).toMatchObject(exactFigures(mine.map(tookMs)));
      }
      const all = records.filter((record) => record.state === state).map(tookMs);
      expect(books.totals.payoutLatency[state]).toMatchObject({ count: all.length, maxMs: Math.max(...all) });
      expect(books.totals.payoutLatency[state].p50Ms).toEqual(expect.any(Number));
    }
    // Both shards won something: the sum is made from two shards' figures.
    expect(books.shards.filter((shard) => shard.payoutLatency.paid.count > 0)).toHaveLength(2);

    // The admin GET carries the same totals as the reconciliation.
    const answer = (await (await admin("/latency-books")).json()) as { totals: { payoutLatency: PayoutLatency } };
    expect(answer.totals.payoutLatency).toEqual(books.totals.payoutLatency);
  });

  it("shows no latency before any payout ended", async () => {
    expect((await create(cashForAll("latency-none"))).status).toBe(201);
    const answer = (await (await admin("/latency-none")).json()) as { totals: { payoutLatency: PayoutLatency } };
    const none = { count: 0, p50Ms: null, p90Ms: null, maxMs: null, buckets: [] };
    expect(answer.totals.payoutLatency).toEqual({ paid: none, released: none });
  });
});

describe("campaign metrics at GET /metrics", () => {
  it("counts draws by outcome, wins by prize, payouts by outcome with their latency, and compensations", async () => {
    const token = await metricsAdmin();
    const before = await scrape(token);
    const campaignId = "latency-metrics";
    const label = (more: string) => `{campaign="${campaignId}"${more}}`;
    await everyoneWins(campaignId, ["ada", "bob", "cyd"]);
    await draw(campaignId, "ada", "turn-1"); // the same turn again: its first result
    await draw(campaignId, "ada", "turn-2"); // one draw per user
    await admin(`/${campaignId}/pause`, "POST");
    await draw(campaignId, "dee", "turn-1");
    const moved = await movedBy(token, before, {
      [`parley_campaign_draws_total${label(',outcome="won"')}`]: 3,
      [`parley_campaign_draws_total${label(',outcome="replay"')}`]: 1,
      [`parley_campaign_draws_total${label(',outcome="limit"')}`]: 1,
      [`parley_campaign_draws_total${label(',outcome="closed"')}`]: 1,
      [`parley_campaign_wins_total${label(',prize="cash-3"')}`]: 3,
      [`parley_payouts_total${label(',outcome="paid"')}`]: 2,
      [`parley_payouts_total${label(',outcome="failed"')}`]: 1,
      [`parley_payout_compensations_total${label("")}`]: 1,
      [`parley_payout_duration_seconds_count${label("")}`]: 3,
    });
    // Exactly these, nothing counted twice (a replay is not a second win).
    expect(Object.values(moved)).toEqual([3, 1, 1, 1, 3, 2, 1, 1, 3]);
  });
});
