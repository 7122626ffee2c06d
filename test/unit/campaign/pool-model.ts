import { decideDraw, drawIdOf } from "../../../src/campaign/draw-decision.js";
import type { ShardLedger } from "../../../src/campaign/ledger.js";
import { emptyLedger } from "../../../src/campaign/ledger.js";
import { grantBatch } from "../../../src/campaign/refill.js";
import type { CampaignDefinition, PrizeDefinition } from "../../../src/campaign/schema.js";
import { shardOf } from "../../../src/campaign/shard-of.js";
import type { Stock } from "../../../src/campaign/stock.js";
import { EMPTY_STOCK, addStock, costOf, initialSplit, subtractStock } from "../../../src/campaign/stock.js";
import type { DrawResult } from "../../../src/campaign/types.js";

/**
 * The pool in memory, applying the pure rules the Durable Objects apply, with the network
 * between shard and coordinator made explicit: a draw that needs a refill stops until its
 * grant is delivered (or its answer lost), so a property test can interleave anything.
 */
interface ModelShard {
  ledger: ShardLedger;
  coordinatorLeft: Stock;
  results: Map<string, DrawResult>;
  userDraws: Map<string, number>;
  payouts: Map<string, { prize: PrizeDefinition; state: "reserved" | "paid" | "released" }>;
  pendingGrants: Map<string, Stock>;
}

export interface PendingDraw {
  userKey: string;
  requestId: string;
  random: number;
  grantId: string;
}

export class PoolModel {
  readonly shards: ModelShard[];
  remainder: Stock;
  readonly grants = new Map<string, { shard: number; granted: Stock }>();
  readonly pending: PendingDraw[] = [];
  private grantSeq = 0;

  constructor(readonly definition: CampaignDefinition) {
    const split = initialSplit(definition);
    this.remainder = split.coordinator;
    this.shards = Array.from({ length: definition.shards }, (_, i) => ({
      ledger: { ...emptyLedger(i), left: split.shard },
      coordinatorLeft: split.coordinator,
      results: new Map(),
      userDraws: new Map(),
      payouts: new Map(),
      pendingGrants: new Map(),
    }));
  }

  /** A draw's first half: answered at once, or parked until its grant comes back. */
  draw(userKey: string, requestId: string, random: number): DrawResult | "pending" {
    return this.decide(userKey, requestId, random, false);
  }

  /** The coordinator answers a parked draw's grant; the answer reaches the shard unless `lost`. */
  deliver(index: number, lost: boolean): DrawResult | null {
    const draw = this.pending.splice(index, 1)[0];
    if (!draw) return null;
    const shard = this.shardOf(draw.userKey);
    const need = shard.pendingGrants.get(draw.grantId);
    if (need) {
      const answer = this.grant(shard.ledger.shard, draw.grantId, need);
      if (!lost) this.apply(shard, draw.grantId, answer);
    }
    const result = this.decide(draw.userKey, draw.requestId, draw.random, true);
    return result === "pending" ? null : result;
  }

  /** A shard retries its unanswered grants (its alarm): the coordinator answers each id once. */
  retryGrants(shardIndex: number): void {
    const shard = this.shards[shardIndex];
    if (!shard) return;
    for (const [grantId, need] of [...shard.pendingGrants]) this.apply(shard, grantId, this.grant(shardIndex, grantId, need));
  }

  settle(drawId: string): void {
    const payout = this.payoutOf(drawId);
    if (payout?.record.state !== "reserved") return;
    payout.record.state = "paid";
    const { cash } = payout.shard.ledger;
    cash.reserved = { count: cash.reserved.count - 1, amount: cash.reserved.amount - payout.record.prize.amount };
    cash.paid = { count: cash.paid.count + 1, amount: cash.paid.amount + payout.record.prize.amount };
  }

  release(drawId: string): void {
    const payout = this.payoutOf(drawId);
    if (payout?.record.state !== "reserved") return;
    const { ledger } = payout.shard;
    const { prize } = payout.record;
    payout.record.state = "released";
    ledger.cash.reserved = { count: ledger.cash.reserved.count - 1, amount: ledger.cash.reserved.amount - prize.amount };
    ledger.cash.released = { count: ledger.cash.released.count + 1, amount: ledger.cash.released.amount + prize.amount };
    ledger.releasedWins[prize.id] = (ledger.releasedWins[prize.id] ?? 0) + 1;
    ledger.left = addStock(ledger.left, costOf(prize));
  }

  reservedDrawIds(): string[] {
    return this.shards.flatMap((shard) => [...shard.payouts].filter(([, p]) => p.state === "reserved").map(([id]) => id));
  }

  userDraws(userKey: string): number {
    return this.shardOf(userKey).userDraws.get(userKey) ?? 0;
  }

  grantedByShard(): Stock[] {
    const granted = this.shards.map((): Stock => EMPTY_STOCK);
    for (const { shard, granted: stock } of this.grants.values()) granted[shard] = addStock(granted[shard] ?? EMPTY_STOCK, stock);
    return granted;
  }

  private shardOf(userKey: string): ModelShard {
    const shard = this.shards[shardOf(userKey, this.definition.shards)];
    if (!shard) throw new Error("no shard");
    return shard;
  }

  private payoutOf(drawId: string) {
    for (const shard of this.shards) {
      const record = shard.payouts.get(drawId);
      if (record) return { shard, record };
    }
    return null;
  }

  private grant(shard: number, grantId: string, need: Stock): Stock {
    const known = this.grants.get(grantId);
    if (known) return known.granted;
    const granted = grantBatch(this.definition, this.remainder, need);
    this.remainder = subtractStock(this.remainder, granted);
    this.grants.set(grantId, { shard, granted });
    return granted;
  }

  private apply(shard: ModelShard, grantId: string, granted: Stock): void {
    if (!shard.pendingGrants.delete(grantId)) return;
    shard.ledger.left = addStock(shard.ledger.left, granted);
    shard.ledger.granted = addStock(shard.ledger.granted, granted);
    shard.coordinatorLeft = this.remainder;
  }

  private decide(userKey: string, requestId: string, random: number, refilled: boolean): DrawResult | "pending" {
    const shard = this.shardOf(userKey);
    const key = `${userKey}|${requestId}`;
    const decision = decideDraw({
      definition: this.definition,
      adminStatus: "active",
      now: Date.parse("2026-06-01T00:00:00Z"),
      prior: shard.results.get(key) ?? null,
      userDraws: shard.userDraws.get(userKey) ?? 0,
      stock: shard.ledger.left,
      coordinatorLeft: shard.coordinatorLeft,
      refilled,
      random,
    });
    if (decision.kind === "answer") return decision.result;
    if (decision.kind === "refill") {
      const grantId = `g${++this.grantSeq}`;
      shard.pendingGrants.set(grantId, decision.need);
      this.pending.push({ userKey, requestId, random, grantId });
      return "pending";
    }
    const drawNo = (shard.userDraws.get(userKey) ?? 0) + 1;
    const drawId = drawIdOf(this.definition.id, userKey, drawNo);
    shard.userDraws.set(userKey, drawNo);
    shard.ledger.draws++;
    const { prize } = decision;
    const result: DrawResult = prize
      ? {
          outcome: "won",
          drawId,
          drawNo,
          replay: false,
          prize: { id: prize.id, kind: prize.kind, amount: prize.amount, currency: this.definition.currency, label: prize.label.en },
        }
      : { outcome: "lost", drawId, drawNo, replay: false };
    shard.results.set(key, result);
    if (prize) {
      shard.ledger.left = subtractStock(shard.ledger.left, costOf(prize));
      shard.ledger.wins[prize.id] = (shard.ledger.wins[prize.id] ?? 0) + 1;
      if (prize.kind === "cash") {
        shard.payouts.set(drawId, { prize, state: "reserved" });
        shard.ledger.cash.reserved = { count: shard.ledger.cash.reserved.count + 1, amount: shard.ledger.cash.reserved.amount + prize.amount };
      }
    }
    return result;
  }
}
