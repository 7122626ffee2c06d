import type { FakePaymentProvider } from "../src/payments/fake-provider.js";
import { createFakePaymentProvider } from "../src/payments/fake-provider.js";
import { httpPaymentProvider } from "../src/payments/http-provider.js";
import type { PaymentProvider } from "../src/payments/provider.js";
import { PaymentRequestError } from "../src/payments/provider.js";
import type { Env } from "./env.js";
import { isDevelopment } from "./env.js";

/** The in-isolate fake's origin: requests to it never leave the isolate. */
export const IN_ISOLATE_FAKE_ORIGIN = "http://fake-payments.invalid";
/** What the in-isolate fake and `npm run fake:payments` sign with when PAYMENT_SECRET is unset. */
export const DEV_PAYMENT_SECRET = "dev-payments-secret";
export const DEFAULT_PAYMENT_TIMEOUT_MS = 10_000;

export type PaymentSettings = Pick<Env, "ENVIRONMENT" | "PAYMENT_PROVIDER" | "PAYMENT_BASE_URL" | "PAYMENT_SECRET" | "PAYMENT_TIMEOUT_MS">;

/** One per isolate, so its ledger outlives a request (`npm run dev` pays out of the box). */
let inIsolateFake: FakePaymentProvider | undefined;

/**
 * The payment provider the settings choose (docs/campaigns.md → Payment settings):
 * - PAYMENT_PROVIDER "http": the provider at PAYMENT_BASE_URL, requests signed with PAYMENT_SECRET;
 * - "fake": the fake provider inside this isolate (no faults unless set), through the same HTTP adapter;
 * - unset: "http" when PAYMENT_BASE_URL is set, else "fake" in development.
 * Anything else — production with nothing configured, "http" without its URL or secret, an
 * unknown name — throws PaymentRequestError: the payout stays reserved and the saga reports it.
 *
 * @example
 * const provider = paymentProviderOf(env); // PAYMENT_PROVIDER=http PAYMENT_BASE_URL=https://pay.example PAYMENT_SECRET=…
 */
export function paymentProviderOf(env: PaymentSettings): PaymentProvider {
  const chosen = env.PAYMENT_PROVIDER?.trim().toLowerCase() || (env.PAYMENT_BASE_URL?.trim() ? "http" : isDevelopment(env) ? "fake" : "");
  const timeoutMs = timeoutOf(env.PAYMENT_TIMEOUT_MS);
  if (chosen === "fake") {
    const secret = env.PAYMENT_SECRET || DEV_PAYMENT_SECRET;
    inIsolateFake ??= createFakePaymentProvider({ secret });
    const fake = inIsolateFake;
    return httpPaymentProvider({ baseUrl: IN_ISOLATE_FAKE_ORIGIN, secret, timeoutMs, fetch: (url, init) => fake.handle(new Request(url, init)) });
  }
  if (chosen !== "http") throw misconfigured(chosen ? `PAYMENT_PROVIDER "${chosen}" is not "http" or "fake"` : "no payment provider is configured");
  const baseUrl = env.PAYMENT_BASE_URL?.trim();
  if (!baseUrl || !env.PAYMENT_SECRET) throw misconfigured('PAYMENT_PROVIDER "http" needs PAYMENT_BASE_URL and the secret PAYMENT_SECRET');
  // The global fetch, unbound: workerd refuses `fetch` called with another `this`.
  return httpPaymentProvider({ baseUrl, secret: env.PAYMENT_SECRET, timeoutMs, fetch: (url, init) => fetch(url, init) });
}

/** The in-isolate fake, once a payment went through it: its ledger and faults (development only). */
export function inIsolateFakePayments(): FakePaymentProvider | undefined {
  return inIsolateFake;
}

function timeoutOf(value: string | undefined): number {
  const ms = Number(value);
  return value?.trim() && Number.isInteger(ms) && ms > 0 ? ms : DEFAULT_PAYMENT_TIMEOUT_MS;
}

/** Status 0: no request was sent. */
function misconfigured(what: string): PaymentRequestError {
  return new PaymentRequestError(`${what}; see docs/campaigns.md → Payment settings`, 0);
}

/** The secret callbacks are checked with: PAYMENT_SECRET, or the in-isolate fake's in development. Undefined: not configured. */
export function paymentCallbackSecretOf(env: Pick<Env, "ENVIRONMENT" | "PAYMENT_SECRET">): string | undefined {
  return env.PAYMENT_SECRET || (isDevelopment(env) ? DEV_PAYMENT_SECRET : undefined);
}
