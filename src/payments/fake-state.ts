import { z } from "zod";
import type { PayoutBody } from "./wire.js";
import { PROTOCOL_ERROR_CODES } from "./wire.js";

/** A business rejection reason, sent as the error code: "invalid_account", "limit_exceeded"… */
const reasonSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/)
  .refine((reason) => !PROTOCOL_ERROR_CODES.has(reason), "a protocol error code is not a business reason");

const millisSchema = z.number().int().nonnegative().max(600_000);

/** What `PUT /__fake/faults` sets (it replaces the whole set; `{}` is a healthy provider). */
export const fakeFaultsSchema = z.strictObject({
  /** The next n provider requests answer 503 and do nothing. */
  fail5xx: z.number().int().nonnegative().optional(),
  /** The next n new payments are made, then their answer is lost: 504 after `timeoutDelayMs`. */
  timeoutAfterSuccess: z.number().int().nonnegative().optional(),
  /** Default 10 s, longer than a client waits; 0 answers the 504 at once. */
  timeoutDelayMs: millisSchema.optional(),
  /** Every callback is delivered twice (the same eventId). */
  duplicateCallbacks: z.boolean().optional(),
  rejectAccounts: z.record(z.string(), reasonSchema).optional(),
  rejectAll: reasonSchema.optional(),
  /** Every provider answer waits this long. */
  slowMs: millisSchema.optional(),
  /** New payments answer "pending"; the final status comes by callback. */
  async: z.boolean().optional(),
  /** How long after a pending answer the payment is final and its callback sent (default 0). */
  callbackDelayMs: millisSchema.optional(),
});
export type FakeFaults = z.infer<typeof fakeFaultsSchema>;

export type FakePaymentState = "paid" | "pending" | "rejected";

export interface FakePayment {
  id: string;
  idempotencyKey: string;
  body: PayoutBody;
  status: FakePaymentState;
  /** What a pending payment becomes. */
  finalStatus: "paid" | "rejected";
  reason?: string;
}

export interface FakeLedger {
  payments: { idempotencyKey: string; reference: string; amount: number; currency: string; account: string; status: FakePaymentState }[];
  /** Sums of paid payments per currency, and how many payments are paid. */
  totals: { paid: Record<string, number>; count: number };
  /** Callback deliveries answered 2xx (a duplicate counts), and deliveries that failed. */
  callbacksSent: number;
  callbacksFailed: number;
}

export interface FakeState {
  faults: FakeFaults;
  /** By idempotency key, in the order they were made. */
  payments: Map<string, FakePayment>;
  nextId: number;
  callbacksSent: number;
  callbacksFailed: number;
}

export function emptyState(): FakeState {
  return { faults: {}, payments: new Map(), nextId: 1, callbacksSent: 0, callbacksFailed: 0 };
}

/** A new payment: rejected at once (sync), paid (sync), or pending towards either (async). */
export function newPayment(state: FakeState, idempotencyKey: string, body: PayoutBody): FakePayment {
  const reason = state.faults.rejectAccounts?.[body.account] ?? state.faults.rejectAll;
  const finalStatus = reason === undefined ? "paid" : "rejected";
  const payment: FakePayment = {
    id: `fake_pay_${state.nextId++}`,
    idempotencyKey,
    body,
    status: state.faults.async ? "pending" : finalStatus,
    finalStatus,
    ...(reason === undefined ? {} : { reason }),
  };
  state.payments.set(idempotencyKey, payment);
  return payment;
}

/** A repeated key must carry the same payment: same amount, currency, account and reference. */
export function samePayment(a: PayoutBody, b: PayoutBody): boolean {
  return a.amount === b.amount && a.currency === b.currency && a.account === b.account && a.reference === b.reference;
}

/** Takes one from a countdown fault; true when there was one left. */
export function takeFault(faults: FakeFaults, name: "fail5xx" | "timeoutAfterSuccess"): boolean {
  const left = faults[name] ?? 0;
  if (left <= 0) return false;
  faults[name] = left - 1;
  return true;
}

export function ledgerOf(state: FakeState): FakeLedger {
  const paid: Record<string, number> = {};
  let count = 0;
  const payments = [...state.payments.values()].map(({ idempotencyKey, body, status }) => {
    if (status === "paid") {
      paid[body.currency] = (paid[body.currency] ?? 0) + body.amount;
      count++;
    }
    const { reference, amount, currency, account } = body;
    return { idempotencyKey, reference, amount, currency, account, status };
  });
  return { payments, totals: { paid, count }, callbacksSent: state.callbacksSent, callbacksFailed: state.callbacksFailed };
}
