/**
 * The worker tests' payment provider: one fake (src/payments/fake-provider.ts) per campaign, so
 * test files running side by side never share faults or a ledger. It runs in Node (vitest's
 * `outboundService`) at FAKE_PAYMENTS_ORIGIN. A payout's campaign is read from its idempotency
 * key, `parley-payout:<campaign>:<user>:<n>` (src/campaign/payout-id.ts); a test reaches its
 * campaign's fake's control routes under `/__fake/<campaign>/…`:
 *
 *   PUT /__fake/spring/faults { "fail5xx": 2 }    GET /__fake/spring/ledger
 *
 * Callbacks are not delivered (the Worker is not reachable from here): tests post them.
 */
import type { FakePaymentProvider } from "../../src/payments/fake-provider.js";
import { createFakePaymentProvider } from "../../src/payments/fake-provider.js";
import { IDEMPOTENCY_KEY_HEADER, PAYOUTS_PATH } from "../../src/payments/wire.js";
import { FAKE_PAYMENTS_ORIGIN, FAKE_PAYMENTS_SECRET } from "./payments.js";

const KEY_PREFIX = "parley-payout:";

export function createFakePaymentsByCampaign(): (request: Request) => Promise<Response | null> {
  const fakes = new Map<string, FakePaymentProvider>();
  const fakeOf = (campaign: string): FakePaymentProvider => {
    let fake = fakes.get(campaign);
    if (!fake) {
      fake = createFakePaymentProvider({ secret: FAKE_PAYMENTS_SECRET, fetch: async () => new Response(null, { status: 503 }) });
      fakes.set(campaign, fake);
    }
    return fake;
  };
  return async (request) => {
    const url = new URL(request.url);
    if (url.origin !== FAKE_PAYMENTS_ORIGIN) return null;
    const control = /^\/__fake\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (control?.[1] && control[2]) {
      const body = request.method === "GET" ? null : await request.text();
      const forwarded = new Request(`${FAKE_PAYMENTS_ORIGIN}/__fake${control[2]}`, { method: request.method, headers: request.headers, body });
      return fakeOf(decodeURIComponent(control[1])).handle(forwarded);
    }
    const key = request.headers.get(IDEMPOTENCY_KEY_HEADER) ?? decodeURIComponent(url.pathname.slice(PAYOUTS_PATH.length + 1));
    const campaign = key.startsWith(KEY_PREFIX) ? (key.slice(KEY_PREFIX.length).split(":")[0] ?? "") : "";
    return fakeOf(campaign).handle(request);
  };
}
