import type { CampaignDefinition } from "./schema.js";
import type { Stock } from "./stock.js";
import { canAward } from "./stock.js";

/**
 * What a shard lacks to award every prize it could: one of each prize it has run out of, and the
 * budget for the dearest cash prize it cannot afford. Only what the coordinator may still hold
 * (`coordinatorLeft`, its remainder as last seen: it only ever shrinks) is asked for, so a dry
 * coordinator is asked once, not on every draw. Null: nothing to ask.
 */
export function needOf(definition: CampaignDefinition, stock: Stock, coordinatorLeft: Stock): Stock | null {
  const prizes: Record<string, number> = {};
  let budget = 0;
  for (const prize of definition.prizes) {
    if (canAward(stock, prize)) continue;
    const have = (stock.prizes[prize.id] ?? 0) > 0;
    const available = have || (coordinatorLeft.prizes[prize.id] ?? 0) > 0;
    if (!have && available) prizes[prize.id] = 1;
    if (available && prize.kind === "cash" && prize.amount > stock.budget && coordinatorLeft.budget > 0) {
      budget = Math.max(budget, prize.amount - stock.budget);
    }
  }
  return budget > 0 || Object.keys(prizes).length > 0 ? { budget, prizes } : null;
}

/**
 * "Refill in batches": for each thing asked, the coordinator gives at least what is needed and
 * at least a batch — a quarter of a shard's fair share, ceil(total / (4 N)) — never more than
 * it holds. A batch keeps a busy shard from asking at every draw; a small one keeps stock from
 * piling up on shards that draw little.
 */
export function grantBatch(definition: CampaignDefinition, remainder: Stock, need: Stock): Stock {
  const batch = (total: number) => Math.max(1, Math.ceil(total / (4 * definition.shards)));
  const prizes: Record<string, number> = {};
  for (const prize of definition.prizes) {
    const asked = need.prizes[prize.id] ?? 0;
    if (asked <= 0) continue;
    const given = Math.min(remainder.prizes[prize.id] ?? 0, Math.max(asked, batch(prize.count)));
    if (given > 0) prizes[prize.id] = given;
  }
  const budget = need.budget > 0 ? Math.min(remainder.budget, Math.max(need.budget, batch(definition.budget))) : 0;
  return { budget, prizes };
}
