/**
 * The fake payment provider (src/payments/fake-provider.ts) wired for tests: an origin, a secret,
 * and a `fetch` that answers that origin from the fake, in process. Worker tests can hand
 * `fake.handle` to vitest's `outboundService` for requests to FAKE_PAYMENTS_ORIGIN.
 */
import type { FakePaymentProvider } from "../../src/payments/fake-provider.js";
import type { FetchLike } from "../../src/payments/http-provider.js";

export const FAKE_PAYMENTS_ORIGIN = "http://payments.test";
export const FAKE_PAYMENTS_SECRET = "test-payments-secret";

/** Requests to FAKE_PAYMENTS_ORIGIN go to the fake; anything else is a test bug. */
export function fetchFromFake(fake: FakePaymentProvider): FetchLike {
  return async (url, init) => {
    if (!url.startsWith(`${FAKE_PAYMENTS_ORIGIN}/`)) throw new TypeError(`the fake payment provider does not answer ${url}`);
    return fake.handle(new Request(url, init));
  };
}
