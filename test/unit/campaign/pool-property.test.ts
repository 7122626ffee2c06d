import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { awardedOf, reconcile } from "../../../src/campaign/ledger.js";
import type { CampaignDefinition } from "../../../src/campaign/schema.js";
import { EMPTY_STOCK, addStock, totalsOf } from "../../../src/campaign/stock.js";
import type { DrawResult } from "../../../src/campaign/types.js";
import { campaign } from "./fixtures.js";
import { PoolModel } from "./pool-model.js";

type Op =
  | { op: "draw"; user: number; request: number; random: number }
  | { op: "deliver"; index: number; lost: boolean }
  | { op: "retry"; shard: number }
  | { op: "settle" | "release"; index: number };

const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("draw" as const), user: fc.nat(40), request: fc.nat(3), random }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("deliver" as const), index: fc.nat(10), lost: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("retry" as const), shard: fc.nat(15) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("settle" as const, "release" as const), index: fc.nat(50) }) },
);

/** Small pools run dry within a run: exhaustion, refills and dry coordinators all happen. */
const definitionArb: fc.Arbitrary<CampaignDefinition> = fc
  .record({
    budget: fc.integer({ min: 0, max: 3000 }),
    shards: fc.integer({ min: 1, max: 6 }),
    drawsPerUser: fc.integer({ min: 1, max: 3 }),
    noPrizeWeight: fc.nat(5),
    counts: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 8 })),
    amounts: fc.tuple(fc.integer({ min: 1, max: 900 }), fc.integer({ min: 1, max: 200 })),
  })
  .map(({ counts, amounts, ...rest }) => {
    const base = campaign().prizes;
    const [big, small, socks] = [base[0], base[1], base[3]].map((prize, i) => ({ ...prize, count: counts[i] ?? 1 })) as [
      (typeof base)[0],
      (typeof base)[0],
      (typeof base)[0],
    ];
    return campaign({ ...rest, prizes: [{ ...big, amount: amounts[0] }, { ...small, amount: amounts[1] }, socks] });
  });

/** Runs one operation; a draw's answer comes with its (user, request) key. */
function step(model: PoolModel, op: Op): { key: string; result: DrawResult } | null {
  switch (op.op) {
    case "draw": {
      const result = model.draw(`user-${op.user}`, `r${op.request}`, op.random);
      return result === "pending" ? null : { key: `user-${op.user}|r${op.request}`, result };
    }
    case "deliver": {
      const index = op.index % Math.max(1, model.pending.length);
      const draw = model.pending[index];
      const result = draw ? model.deliver(index, op.lost) : null;
      return draw && result ? { key: `${draw.userKey}|${draw.requestId}`, result } : null;
    }
    case "retry":
      model.retryGrants(op.shard % model.definition.shards);
      return null;
    default: {
      const reserved = model.reservedDrawIds();
      const drawId = reserved[op.index % Math.max(1, reserved.length)];
      if (drawId) model[op.op](drawId);
      return null;
    }
  }
}

/** The same request always gets the first result, marked as a replay from the second answer on. */
function checkExactlyOnce(answer: { key: string; result: DrawResult }, first: Map<string, DrawResult>): void {
  const { key, result } = answer;
  if (result.outcome !== "won" && result.outcome !== "lost") return;
  const earlier = first.get(key);
  expect(result.replay).toBe(earlier !== undefined);
  if (earlier) expect({ ...result, replay: false }).toEqual(earlier);
  else first.set(key, result);
}

function checkInvariants(model: PoolModel): void {
  const { definition } = model;
  const ledgers = model.shards.map((shard) => shard.ledger);
  const awarded = ledgers.map(awardedOf).reduce(addStock, EMPTY_STOCK);
  expect(awarded.budget).toBeLessThanOrEqual(definition.budget);
  for (const prize of definition.prizes) expect(awarded.prizes[prize.id] ?? 0).toBeLessThanOrEqual(prize.count);
  // Conservation, counting grants the coordinator gave whose answer a shard has not applied yet.
  const unapplied = [...model.grants]
    .filter(([id, grant]) => model.shards[grant.shard]?.pendingGrants.has(id))
    .reduce((sum, [, g]) => addStock(sum, g.granted), EMPTY_STOCK);
  const held = ledgers.reduce((sum, ledger) => addStock(sum, ledger.left), addStock(model.remainder, unapplied));
  const totals = totalsOf(definition);
  const accounted = addStock(held, awarded);
  expect(accounted.budget).toBe(totals.budget);
  for (const prize of definition.prizes) expect(accounted.prizes[prize.id] ?? 0).toBe(prize.count);
}

describe("the prize pool under random interleavings", () => {
  it("never over budget or over a prize's count, exactly once per request, within the per-user limit, conserved", () => {
    fc.assert(
      fc.property(definitionArb, fc.array(opArb, { minLength: 1, maxLength: 250 }), (definition, ops) => {
        const model = new PoolModel(definition);
        const first = new Map<string, DrawResult>();
        for (const op of ops) {
          const answer = step(model, op);
          if (answer) checkExactlyOnce(answer, first);
          if (op.op === "draw") expect(model.userDraws(`user-${op.user}`)).toBeLessThanOrEqual(definition.drawsPerUser);
          checkInvariants(model);
        }
        // Every parked draw finishes and every shard retries its grants: then the books balance exactly.
        while (model.pending.length > 0) model.deliver(0, false);
        for (let i = 0; i < definition.shards; i++) model.retryGrants(i);
        const checked = reconcile(
          definition,
          { remainder: model.remainder, grantedByShard: model.grantedByShard() },
          model.shards.map((s) => s.ledger),
        );
        expect(checked).toEqual({ ok: true, differences: [] });
      }),
      { numRuns: 300 },
    );
  });

  it("a pool drained on one shard refills it from the coordinator until the coordinator is dry", () => {
    const definition = campaign({
      budget: 0,
      noPrizeWeight: 0,
      shards: 2,
      drawsPerUser: 1000,
      prizes: [campaign().prizes[3] ?? fc.sample(fc.constant(null), 1)[0]] as CampaignDefinition["prizes"],
    });
    const model = new PoolModel(definition);
    let wins = 0;
    for (let i = 0; i < 200; i++) {
      let result = model.draw("one-user", `r${i}`, 0.5);
      while (result === "pending") result = model.deliver(0, false) ?? "pending";
      if (result.outcome === "won") wins++;
      if (result.outcome === "exhausted") break;
    }
    // The user's shard got its 12, then the coordinator's 26 in batches; the other shard keeps its 12.
    expect(wins).toBe(50 - 12);
    expect(model.remainder.prizes.socks).toBe(0);
  });

  it("reports a difference instead of hiding it", () => {
    const definition = campaign();
    const model = new PoolModel(definition);
    model.draw("someone", "r1", 0);
    const ledgers = model.shards.map((s) => ({ ...s.ledger, left: { ...s.ledger.left, budget: s.ledger.left.budget + 1 } }));
    const checked = reconcile(definition, { remainder: model.remainder, grantedByShard: model.grantedByShard() }, ledgers);
    expect(checked.ok).toBe(false);
    expect(checked.differences).toContainEqual({ check: "conservation", item: "budget", expected: 100_000, actual: 100_004 });
  });
});
