import type { PaymentProvider } from "../payments/provider.js";
import { attemptPayment, checkPayment } from "./payout-attempt.js";
import { payoutIdempotencyKey } from "./payout-id.js";
import type { PaymentDecision, PayoutSagaOutput } from "./payout-saga-plan.js";
import { afterCallback, afterCheck, afterPayment, noticeOf, paymentRequestOf } from "./payout-saga-plan.js";
import type { PayoutNotice, PayoutParams, PayoutRecord } from "./types.js";

/** A Workflows duration: milliseconds or "5 seconds". */
export type StepDuration = number | `${number} ${"second" | "minute" | "hour"}${"s" | ""}`;

export interface StepConfig {
  retries: { limit: number; delay: StepDuration; backoff: "constant" | "linear" | "exponential" };
  timeout: StepDuration;
}

/**
 * The slice of a Workflow's `step` the saga uses. A step's result is kept once it returns, so a
 * saga resumed after a restart replays finished steps from their results instead of running them
 * again; a step that throws is retried per its config, then throws into the saga.
 */
export interface SagaSteps {
  do<T>(name: string, config: StepConfig, run: () => Promise<T>): Promise<T>;
  /** The event's payload; throws when `timeout` passes first. */
  waitForEvent(name: string, options: { type: string; timeout: StepDuration }): Promise<unknown>;
}

/** What the saga acts on: the win's shard, the provider, the winner's conversation. */
export interface PayoutPorts {
  payout(drawId: string): Promise<PayoutRecord | null>;
  settle(drawId: string, providerRef: string): Promise<PayoutRecord>;
  release(drawId: string, reason: string): Promise<PayoutRecord>;
  /** Throws PaymentRequestError when no provider is configured. */
  provider(): PaymentProvider;
  notify(record: PayoutRecord, notice: PayoutNotice): Promise<unknown>;
  /** Where the provider POSTs the final state of a pending payment. */
  callbackUrl?: string;
}

/** Shard calls: a restart or an overloaded object is over in seconds. */
export const LEDGER_STEP: StepConfig = { retries: { limit: 6, delay: "1 second", backoff: "exponential" }, timeout: "30 seconds" };
/** Paying: 5 s, 10 s, … 160 s between attempts; each attempt is a status check and at most one payment. */
export const PAY_STEP: StepConfig = { retries: { limit: 6, delay: "5 seconds", backoff: "exponential" }, timeout: "2 minutes" };
/** A pending payment: this many rounds of waiting for the callback, then asking. */
export const CALLBACK_ROUNDS = 6;
export const CALLBACK_WAIT: StepDuration = "10 minutes";
export const PAYMENT_EVENT = "payment";

/**
 * One cash win's payout saga: check reservation → pay (pivot) → settle → tell user, or on a
 * business rejection release (compensate) → tell user. Anything unknown ends `unsettled`, the
 * reservation kept for reconciliation. Deterministic given the steps' results, as Workflows
 * require: a replay after a restart takes the same path.
 */
export async function runPayoutSaga(params: PayoutParams, ports: PayoutPorts, steps: SagaSteps): Promise<PayoutSagaOutput> {
  const { drawId } = params;
  const checked = await attempt(() => steps.do("check reservation", LEDGER_STEP, () => ports.payout(drawId)));
  if (!checked.ok) return { drawId, outcome: "unsettled", reason: `the reservation could not be read: ${checked.reason}` };
  const check = afterCheck(drawId, checked.value);
  if (check.next === "stop") return { drawId, outcome: "skipped", reason: check.reason };
  if (check.next === "tell") {
    const notified = await tell(steps, ports, check.record, check.notice);
    const { record } = check;
    if (record.state === "paid") return { drawId, outcome: "paid", providerRef: record.providerRef ?? "", notified };
    return { drawId, outcome: "compensated", reason: record.reason ?? "released", notified };
  }
  const { record } = check;
  const key = await payoutIdempotencyKey(drawId);
  const decision = await pay(steps, ports, record, key);
  if (decision.next === "settle") return settle(steps, ports, record, decision.providerRef);
  if (decision.next === "compensate") return compensate(steps, ports, record, decision.reason);
  if (decision.next === "wait") return { drawId, outcome: "unsettled", reason: "the payment is still pending" };
  return { drawId, outcome: "unsettled", reason: decision.reason };
}

/** "pay", and for a pending payment rounds of "payment callback" + "payment status". */
async function pay(steps: SagaSteps, ports: PayoutPorts, record: PayoutRecord, key: string): Promise<PaymentDecision> {
  const request = paymentRequestOf(record, key, ports.callbackUrl);
  const paid = await attempt(() => steps.do("pay", PAY_STEP, () => attemptPayment(() => ports.provider(), request)));
  if (!paid.ok) return { next: "unsettled", reason: `the payment's outcome is unknown: ${paid.reason}` };
  let decision = afterPayment(paid.value);
  for (let round = 0; round < CALLBACK_ROUNDS && decision.next === "wait"; round++) {
    const event = await attempt(() => steps.waitForEvent("payment callback", { type: PAYMENT_EVENT, timeout: CALLBACK_WAIT }));
    const status = await attempt(() => steps.do("payment status", PAY_STEP, () => checkPayment(() => ports.provider(), key)));
    if (!status.ok) return { next: "unsettled", reason: `the pending payment's outcome is unknown: ${status.reason}` };
    decision = afterCallback(event.ok ? event.value : null, key, status.value);
  }
  return decision;
}

async function settle(steps: SagaSteps, ports: PayoutPorts, record: PayoutRecord, providerRef: string): Promise<PayoutSagaOutput> {
  const { drawId } = record;
  const settled = await attempt(() => steps.do("settle", LEDGER_STEP, () => ports.settle(drawId, providerRef)));
  if (!settled.ok) return { drawId, outcome: "unsettled", providerRef, reason: `paid, but the ledger was not settled: ${settled.reason}` };
  const notified = await tell(steps, ports, record, noticeOf(record, "paid"));
  return { drawId, outcome: "paid", providerRef, notified };
}

/** The compensation: the reservation goes back to the pool, the user is told. Only after a rejection. */
async function compensate(steps: SagaSteps, ports: PayoutPorts, record: PayoutRecord, reason: string): Promise<PayoutSagaOutput> {
  const { drawId } = record;
  const released = await attempt(() => steps.do("release", LEDGER_STEP, () => ports.release(drawId, reason)));
  if (!released.ok) return { drawId, outcome: "unsettled", reason: `rejected (${reason}), but the reservation was not released: ${released.reason}` };
  const notified = await tell(steps, ports, record, noticeOf(record, "failed", reason));
  return { drawId, outcome: "compensated", reason, notified };
}

/** "tell user": the conversation dedupes by draw and outcome, so a retried notice is shown once. */
async function tell(steps: SagaSteps, ports: PayoutPorts, record: PayoutRecord, notice: PayoutNotice): Promise<boolean> {
  const told = await attempt(() =>
    steps.do("tell user", LEDGER_STEP, async () => {
      await ports.notify(record, notice);
      return true;
    }),
  );
  return told.ok;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A step that threw after its retries, as a value: the saga decides what an unknown outcome means. */
async function attempt<T>(work: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
