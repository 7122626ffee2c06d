/**
 * The one interface the payout saga pays through. Adapters live next to this file; the saga
 * only ever sees a `PaymentProvider`, so the fake and a real provider are interchangeable.
 *
 * Exactly once rests on the idempotency key: the provider pays a key at most once, and a
 * repeated `pay` with the same key answers the first outcome.
 */

export interface PaymentRequest {
  /** The provider pays a key at most once; the saga derives it from the draw. */
  idempotencyKey: string;
  /** Integer minor units (cents, fen), > 0. */
  amount: number;
  /** ISO 4217, e.g. "CNY". */
  currency: string;
  account: string;
  /** Ours, shown in the provider's records (e.g. the draw id). */
  reference: string;
  /** Where the provider POSTs the signed final status of a pending payment. */
  callbackUrl?: string;
}

export type PaymentOutcome =
  | { status: "paid"; providerRef: string }
  /** The final state comes by callback, or by asking `status`. */
  | { status: "pending"; providerRef: string }
  /** A business rejection (invalid account, limit exceeded): do not retry, compensate. */
  | { status: "rejected"; reason: string; providerRef?: string };

export type PaymentStatus = PaymentOutcome | { status: "not_found" };

/**
 * The outcome is unknown (5xx, network error, timeout, an answer that makes no sense): the
 * payment may or may not have been made. Retry with the same idempotency key, or ask `status`
 * first.
 *
 * @example
 * throw new TransientPaymentError("provider answered 503");
 */
export class TransientPaymentError extends Error {
  override readonly name = "TransientPaymentError";
}

/**
 * The provider refused the request itself (bad signature, unknown route, malformed request):
 * nothing was paid, and sending it again will not help — it is a configuration error or a bug,
 * for an operator, not a reason to tell the user their prize failed.
 */
export class PaymentRequestError extends Error {
  override readonly name = "PaymentRequestError";
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

export interface PaymentProvider {
  pay(request: PaymentRequest): Promise<PaymentOutcome>;
  status(idempotencyKey: string): Promise<PaymentStatus>;
}
