import type { PaymentStatus } from "../payments/provider.js";
import type { PayoutRecord, PayoutState } from "./types.js";

/** A payout the ledger and the provider disagree on, or that the provider could not be asked about. */
export interface ProviderDifference {
  drawId: string;
  shard: number;
  amount: number;
  ledger: PayoutState;
  provider: PaymentStatus["status"] | "unreachable";
  problem: "settled_not_paid" | "paid_not_settled" | "rejected_not_released" | "released_but_paid" | "unknown";
}

export interface ProviderCheck {
  /** payout records compared */
  checked: number;
  /** settled in the ledger and paid at the provider */
  confirmed: { count: number; amount: number };
  /** reserved, with the provider still paying or not asked yet: a saga is on it */
  inFlight: number;
  differences: ProviderDifference[];
}

/**
 * The ledger's payouts against the provider's word on each idempotency key (`null`: it could not
 * be asked). Paid must be paid there; a reservation the provider paid or rejected is a saga that
 * has not caught up (or ended unsettled); a released win must not be paid. Nothing is hidden:
 * every disagreement is a difference.
 *
 * @example compareWithProvider([{ record: { …, state: "paid", amount: 500 }, status: { status: "paid", providerRef: "p1" } }]).confirmed // → { count: 1, amount: 500 }
 */
export function compareWithProvider(entries: readonly { record: PayoutRecord; status: PaymentStatus | null }[]): ProviderCheck {
  const check: ProviderCheck = { checked: entries.length, confirmed: { count: 0, amount: 0 }, inFlight: 0, differences: [] };
  for (const { record, status } of entries) {
    const said = status?.status ?? "unreachable";
    const problem = problemOf(record.state, said);
    if (problem === null && record.state === "paid") {
      check.confirmed.count++;
      check.confirmed.amount += record.amount;
    } else if (problem === null && record.state === "reserved") {
      check.inFlight++;
    }
    if (problem) check.differences.push({ drawId: record.drawId, shard: record.shard, amount: record.amount, ledger: record.state, provider: said, problem });
  }
  return check;
}

function problemOf(ledger: PayoutState, provider: ProviderDifference["provider"]): ProviderDifference["problem"] | null {
  if (provider === "unreachable") return "unknown";
  if (ledger === "paid") return provider === "paid" ? null : "settled_not_paid";
  if (ledger === "released") return provider === "paid" ? "released_but_paid" : null;
  if (provider === "paid") return "paid_not_settled";
  return provider === "rejected" ? "rejected_not_released" : null;
}
