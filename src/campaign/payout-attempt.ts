import type { PaymentProvider, PaymentRequest } from "../payments/provider.js";
import { PaymentRequestError } from "../payments/provider.js";
import type { PayAttempt, StatusCheck } from "./payout-saga-plan.js";

/**
 * One attempt of the "pay" step. It first asks the provider for the key's state: an earlier
 * attempt may have paid and lost its answer (a timeout, a 5xx after the fact, a restart), and a
 * known payment is used as it is — never paid twice. Only `not_found` pays.
 *
 * A `TransientPaymentError` (outcome unknown) is thrown: the step retries with backoff. A
 * `PaymentRequestError` (our misconfiguration, also when `providerOf` finds nothing configured)
 * is answered `refused`: retrying would not help, and nothing was paid.
 *
 * @example
 * const attempt = await attemptPayment(() => paymentProviderOf(env), request); // { status: "paid", providerRef }
 */
export async function attemptPayment(providerOf: () => PaymentProvider, request: PaymentRequest): Promise<PayAttempt> {
  return refusedOr(async () => {
    const provider = providerOf();
    const known = await provider.status(request.idempotencyKey);
    if (known.status !== "not_found") return known;
    return provider.pay(request);
  });
}

/** A status check of a pending payment, with the same error rules as {@link attemptPayment}. */
export function checkPayment(providerOf: () => PaymentProvider, idempotencyKey: string): Promise<StatusCheck> {
  return refusedOr(() => providerOf().status(idempotencyKey));
}

async function refusedOr<T>(work: () => Promise<T>): Promise<T | { status: "refused"; reason: string }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PaymentRequestError) return { status: "refused", reason: error.message };
    throw error;
  }
}
