import type { CampaignDefinition, PrizeDefinition } from "./schema.js";

/** What a holder (a shard, or the coordinator's undistributed remainder) can still give: budget and prize counts. */
export interface Stock {
  budget: number;
  prizes: Readonly<Record<string, number>>;
}

export const EMPTY_STOCK: Stock = { budget: 0, prizes: {} };

export function totalsOf(definition: CampaignDefinition): Stock {
  return { budget: definition.budget, prizes: Object.fromEntries(definition.prizes.map((prize) => [prize.id, prize.count])) };
}

/**
 * "Pre-split half": each of the N shards starts with floor(floor(total / 2) / N) of the budget
 * and of every prize count; the coordinator keeps the rest and refills shards in batches.
 */
export function initialSplit(definition: CampaignDefinition): { shard: Stock; coordinator: Stock } {
  const n = definition.shards;
  const perShard = (total: number) => Math.floor(Math.floor(total / 2) / n);
  const shard: Stock = {
    budget: perShard(definition.budget),
    prizes: Object.fromEntries(definition.prizes.map((prize) => [prize.id, perShard(prize.count)])),
  };
  const coordinator: Stock = {
    budget: definition.budget - shard.budget * n,
    prizes: Object.fromEntries(definition.prizes.map((prize) => [prize.id, prize.count - (shard.prizes[prize.id] ?? 0) * n])),
  };
  return { shard, coordinator };
}

export function addStock(a: Stock, b: Stock): Stock {
  const prizes: Record<string, number> = { ...a.prizes };
  for (const [id, count] of Object.entries(b.prizes)) prizes[id] = (prizes[id] ?? 0) + count;
  return { budget: a.budget + b.budget, prizes };
}

/** `a - b`; the caller only subtracts what `a` holds (a grant, an award). */
export function subtractStock(a: Stock, b: Stock): Stock {
  const prizes: Record<string, number> = { ...a.prizes };
  for (const [id, count] of Object.entries(b.prizes)) prizes[id] = (prizes[id] ?? 0) - count;
  return { budget: a.budget - b.budget, prizes };
}

/** What one award of a prize takes from its holder's stock: one of its count and, for cash, its amount. */
export function costOf(prize: PrizeDefinition): Stock {
  return { budget: prize.kind === "cash" ? prize.amount : 0, prizes: { [prize.id]: 1 } };
}

/** Whether a holder can award a prize now: one left, and for cash the amount within its budget. */
export function canAward(stock: Stock, prize: PrizeDefinition): boolean {
  return (stock.prizes[prize.id] ?? 0) > 0 && (prize.kind !== "cash" || prize.amount <= stock.budget);
}

export function isEmptyStock(stock: Stock): boolean {
  return stock.budget === 0 && Object.values(stock.prizes).every((count) => count === 0);
}
