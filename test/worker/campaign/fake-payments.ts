import { expect } from "vitest";
import { payoutIdempotencyKey } from "../../../src/campaign/payout-id.js";
import type { FakeFaults, FakeLedger } from "../../../src/payments/fake-state.js";
import { signatureHeaders } from "../../../src/payments/signing.js";
import { FAKE_PAYMENTS_ORIGIN, FAKE_PAYMENTS_SECRET } from "../../fakes/payments.js";
import { call } from "../helpers.js";

/** A campaign's fake payment provider: its faults (set when given, else read) or its ledger. */
export async function fake(campaignId: string, path: "faults" | "ledger", faults?: FakeFaults): Promise<unknown> {
  const init = faults ? { method: "PUT", body: JSON.stringify(faults) } : {};
  const response = await fetch(`${FAKE_PAYMENTS_ORIGIN}/__fake/${campaignId}/${path}`, init);
  expect(response.status).toBe(200);
  return response.json();
}

export const ledgerOf = async (campaignId: string) => (await fake(campaignId, "ledger")) as FakeLedger;

/** The provider's signed "paid" callback for a pending payment, posted to the Worker as the provider would. */
export async function postPaidCallback(drawId: string, amount: number, eventId: string, providerRef: string): Promise<Response> {
  const callback = JSON.stringify({
    eventId,
    idempotencyKey: await payoutIdempotencyKey(drawId),
    reference: drawId,
    status: "paid",
    providerRef,
    amount,
    currency: "CNY",
  });
  const headers = { ...(await signatureHeaders(FAKE_PAYMENTS_SECRET, callback, Date.now() / 1000)), "content-type": "application/json" };
  return call("/v1/payments/callback", { method: "POST", headers, body: callback });
}
