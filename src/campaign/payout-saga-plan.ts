import type { PaymentCallback } from "../payments/callback.js";
import { paymentCallbackSchema } from "../payments/callback.js";
import type { PaymentOutcome, PaymentRequest, PaymentStatus } from "../payments/provider.js";
import type { PayoutNotice, PayoutRecord } from "./types.js";

/**
 * The payout saga's decisions (docs/campaigns.md → The payout saga), pure: what the saga does
 * after each step, given what the step answered. The shell (workflows/payout-saga.ts) and the
 * Node property test run the same steps (./payout-saga-run.ts) around these rules.
 *
 * The one rule everything else serves: a reservation is released only after the provider said
 * "rejected" for the win's idempotency key. Any outcome that is unknown leaves it reserved.
 */

/** What one payment step ends with: the provider's answer, or `refused` (our misconfiguration: nothing was paid, nothing to retry). */
export type PayAttempt = PaymentOutcome | { status: "refused"; reason: string };
/** What a status check ends with. */
export type StatusCheck = PaymentStatus | { status: "refused"; reason: string };

export type CheckDecision =
  | { next: "pay"; record: PayoutRecord }
  /** Settled or released before (a restarted saga): only make sure the user was told. */
  | { next: "tell"; record: PayoutRecord; notice: PayoutNotice }
  | { next: "stop"; reason: string };

export type PaymentDecision =
  | { next: "settle"; providerRef: string }
  | { next: "compensate"; reason: string }
  | { next: "wait" }
  | { next: "unsettled"; reason: string };

/** The saga's output (the Workflow instance's): what became of the win. */
export type PayoutSagaOutput =
  | { drawId: string; outcome: "paid"; providerRef: string; notified: boolean }
  | { drawId: string; outcome: "compensated"; reason: string; notified: boolean }
  /** The money's fate is unknown or the ledger could not follow it: left reserved, for reconciliation. */
  | { drawId: string; outcome: "unsettled"; reason: string; providerRef?: string }
  /** Nothing to pay: no such reservation. */
  | { drawId: string; outcome: "skipped"; reason: string };

/** After "check reservation". */
export function afterCheck(drawId: string, record: PayoutRecord | null): CheckDecision {
  if (!record) return { next: "stop", reason: `no payout ${drawId} on its shard` };
  if (record.state === "reserved") return { next: "pay", record };
  if (record.state === "paid") return { next: "tell", record, notice: noticeOf(record, "paid") };
  return { next: "tell", record, notice: noticeOf(record, "failed", record.reason) };
}

/** After "pay" or a status check. `not_found` after a payment was answered means the provider lost it: unknown, not rejected. */
export function afterPayment(answer: PayAttempt | StatusCheck): PaymentDecision {
  switch (answer.status) {
    case "paid":
      return { next: "settle", providerRef: answer.providerRef };
    case "rejected":
      return { next: "compensate", reason: answer.reason };
    case "pending":
      return { next: "wait" };
    case "refused":
      return { next: "unsettled", reason: `the provider refused the request: ${answer.reason}` };
    case "not_found":
      return { next: "unsettled", reason: "the provider does not know a payment it answered" };
  }
}

/**
 * After waiting for the callback of a pending payment, then checking its status: the status
 * check decides; a signed callback for this key decides when the check could not (still
 * pending, refused, not found).
 */
export function afterCallback(payload: unknown, idempotencyKey: string, status: StatusCheck): PaymentDecision {
  const checked = afterPayment(status);
  if (checked.next === "settle" || checked.next === "compensate") return checked;
  const callback = callbackFor(payload, idempotencyKey);
  if (callback?.status === "paid") return { next: "settle", providerRef: callback.providerRef };
  if (callback?.status === "rejected") return { next: "compensate", reason: callback.reason ?? "rejected" };
  return checked;
}

/** A waited-for event's payload, when it is a callback for this key. */
export function callbackFor(payload: unknown, idempotencyKey: string): PaymentCallback | null {
  const callback = paymentCallbackSchema.safeParse(payload);
  return callback.success && callback.data.idempotencyKey === idempotencyKey ? callback.data : null;
}

/**
 * The payment of a reserved win. The account is the winner's user id (the conversation's name):
 * the provider knows users by the id they log in with; the pseudonym is only ours.
 */
export function paymentRequestOf(record: PayoutRecord, idempotencyKey: string, callbackUrl?: string): PaymentRequest {
  const request: PaymentRequest = {
    idempotencyKey,
    amount: record.amount,
    currency: record.currency,
    account: record.conversationId,
    reference: record.drawId,
  };
  return callbackUrl ? { ...request, callbackUrl } : request;
}

export function noticeOf(record: PayoutRecord, outcome: PayoutNotice["outcome"], reason?: string): PayoutNotice {
  const notice: PayoutNotice = { drawId: record.drawId, outcome, prizeId: record.prizeId, amount: record.amount, currency: record.currency };
  return reason === undefined ? notice : { ...notice, reason };
}
