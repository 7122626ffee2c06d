import type { PayoutLatency } from "./payout-latency.js";
import { emptyPayoutLatency, sumPayoutLatency } from "./payout-latency.js";
import type { CampaignDefinition } from "./schema.js";
import type { Stock } from "./stock.js";
import { EMPTY_STOCK, addStock, initialSplit, totalsOf } from "./stock.js";

export interface MoneyCount {
  count: number;
  amount: number;
}

/** One shard's books, as `CampaignShard.ledger()` sums its rows. */
export interface ShardLedger {
  shard: number;
  /** recorded draws: won and lost */
  draws: number;
  /** wins per prize id, counting wins whose cash was released later */
  wins: Record<string, number>;
  /** released cash wins per prize id: their stock went back to the shard */
  releasedWins: Record<string, number>;
  cash: { reserved: MoneyCount; paid: MoneyCount; released: MoneyCount };
  /** budget and prize counts still on the shard */
  left: Stock;
  /** the sum of the coordinator's grants the shard applied */
  granted: Stock;
  /** grants asked for and not yet answered (retried by the shard) */
  pendingGrants: number;
  /** reservation to paid, and to released, of this shard's ended payouts: exact */
  payoutLatency: PayoutLatency;
}

/** The coordinator's side: what it holds and what it gave each shard. */
export interface CoordinatorAccounts {
  remainder: Stock;
  grantedByShard: Stock[];
}

/** The sums over shards and coordinator that the admin API shows. */
export interface CampaignTotals {
  draws: number;
  wins: Record<string, number>;
  cash: { reserved: MoneyCount; paid: MoneyCount; released: MoneyCount };
  budgetLeft: number;
  stockLeft: Record<string, number>;
  /** over every shard (see sumLatency for how exact) */
  payoutLatency: PayoutLatency;
}

export interface Difference {
  check: "shard-books" | "grants" | "conservation" | "budget-cap" | "prize-cap" | "cash-records";
  /** "budget" or a prize id */
  item: string;
  expected: number;
  actual: number;
  shard?: number;
}

export function emptyLedger(shard: number): ShardLedger {
  const zero = () => ({ count: 0, amount: 0 });
  return {
    shard,
    draws: 0,
    wins: {},
    releasedWins: {},
    cash: { reserved: zero(), paid: zero(), released: zero() },
    left: EMPTY_STOCK,
    granted: EMPTY_STOCK,
    pendingGrants: 0,
    payoutLatency: emptyPayoutLatency(),
  };
}

/** What a shard has given out and not taken back: reserved and paid cash, wins less released ones. */
export function awardedOf(ledger: ShardLedger): Stock {
  const prizes: Record<string, number> = {};
  for (const [id, count] of Object.entries(ledger.wins)) prizes[id] = count - (ledger.releasedWins[id] ?? 0);
  return { budget: ledger.cash.reserved.amount + ledger.cash.paid.amount, prizes };
}

const addMoney = (a: MoneyCount, b: MoneyCount): MoneyCount => ({ count: a.count + b.count, amount: a.amount + b.amount });

export function sumLedgers(ledgers: readonly ShardLedger[], remainder: Stock): CampaignTotals {
  let left = remainder;
  let wins: Stock = EMPTY_STOCK;
  const cash = emptyLedger(0).cash;
  let draws = 0;
  for (const ledger of ledgers) {
    draws += ledger.draws;
    left = addStock(left, ledger.left);
    wins = addStock(wins, { budget: 0, prizes: ledger.wins });
    cash.reserved = addMoney(cash.reserved, ledger.cash.reserved);
    cash.paid = addMoney(cash.paid, ledger.cash.paid);
    cash.released = addMoney(cash.released, ledger.cash.released);
  }
  const payoutLatency = sumPayoutLatency(ledgers.map((ledger) => ledger.payoutLatency));
  return { draws, wins: { ...wins.prizes }, cash, budgetLeft: left.budget, stockLeft: { ...left.prizes }, payoutLatency };
}

/** Compares two stocks item by item: every item where `actual` differs from `expected`. */
function compare(definition: CampaignDefinition, expected: Stock, actual: Stock, base: Omit<Difference, "item" | "expected" | "actual">): Difference[] {
  const items: [string, number, number][] = [["budget", expected.budget, actual.budget]];
  for (const prize of definition.prizes) items.push([prize.id, expected.prizes[prize.id] ?? 0, actual.prizes[prize.id] ?? 0]);
  return items.filter(([, e, a]) => e !== a).map(([item, e, a]) => ({ ...base, item, expected: e, actual: a }));
}

/**
 * Every way the books can disagree, none hidden: each shard's own books (start + grants =
 * left + awarded), the coordinator's grants against what each shard applied, the campaign's
 * conservation (remainder + shards' stock + awarded = the definition's totals), the caps, and
 * each shard's cash records against its cash wins.
 */
export function reconcile(
  definition: CampaignDefinition,
  coordinator: CoordinatorAccounts,
  ledgers: readonly ShardLedger[],
): { ok: boolean; differences: Difference[] } {
  const start = initialSplit(definition).shard;
  const differences: Difference[] = [];
  let awarded: Stock = EMPTY_STOCK;
  let held = coordinator.remainder;
  for (const ledger of ledgers) {
    const shardAwarded = awardedOf(ledger);
    awarded = addStock(awarded, shardAwarded);
    held = addStock(held, ledger.left);
    differences.push(
      ...compare(definition, addStock(start, ledger.granted), addStock(ledger.left, shardAwarded), { check: "shard-books", shard: ledger.shard }),
    );
    differences.push(...compare(definition, coordinator.grantedByShard[ledger.shard] ?? EMPTY_STOCK, ledger.granted, { check: "grants", shard: ledger.shard }));
    differences.push(...cashRecordDifferences(definition, ledger));
  }
  const totals = totalsOf(definition);
  differences.push(...compare(definition, totals, addStock(held, awarded), { check: "conservation" }));
  if (awarded.budget > totals.budget) differences.push({ check: "budget-cap", item: "budget", expected: totals.budget, actual: awarded.budget });
  for (const prize of definition.prizes) {
    const count = awarded.prizes[prize.id] ?? 0;
    if (count > prize.count) differences.push({ check: "prize-cap", item: prize.id, expected: prize.count, actual: count });
  }
  return { ok: differences.length === 0, differences };
}

function cashRecordDifferences(definition: CampaignDefinition, ledger: ShardLedger): Difference[] {
  const cashWins = definition.prizes.filter((prize) => prize.kind === "cash").reduce((sum, prize) => sum + (ledger.wins[prize.id] ?? 0), 0);
  const { reserved, paid, released } = ledger.cash;
  const records = reserved.count + paid.count + released.count;
  return records === cashWins ? [] : [{ check: "cash-records", item: "budget", shard: ledger.shard, expected: cashWins, actual: records }];
}
