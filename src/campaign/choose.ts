import type { CampaignDefinition, PrizeDefinition } from "./schema.js";
import type { Stock } from "./stock.js";
import { canAward } from "./stock.js";

/** The prizes a holder can award now, in the definition's order. */
export function awardablePrizes(definition: CampaignDefinition, stock: Stock): PrizeDefinition[] {
  return definition.prizes.filter((prize) => canAward(stock, prize));
}

/**
 * A weighted choice among `prizes` and "no prize" (`noPrizeWeight`), given `random` in [0, 1):
 * prize i covers its `weight` of the integer line 0 … total − 1, no prize the rest. Null: no prize.
 *
 * @example
 * choosePrize([socks], 3, 0.2); // socks (weight 1): floor(0.2 × 4) = 0 falls in its [0, 1)
 */
export function choosePrize(prizes: readonly PrizeDefinition[], noPrizeWeight: number, random: number): PrizeDefinition | null {
  const total = prizes.reduce((sum, prize) => sum + prize.weight, noPrizeWeight);
  if (total === 0) return null;
  let point = Math.min(Math.floor(random * total), total - 1);
  for (const prize of prizes) {
    if (point < prize.weight) return prize;
    point -= prize.weight;
  }
  return null;
}
