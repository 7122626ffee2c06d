import { describe, expect, it } from "vitest";
import { signatureHeaders } from "../../../src/payments/signing.js";
import { FAKE_PAYMENTS_SECRET } from "../../fakes/payments.js";
import { call, errorOf } from "../helpers.js";

const PATH = "/v1/payments/callback";

const callback = (change: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventId: "evt-route-1",
    idempotencyKey: "parley-payout:no-such-campaign:nobody:1",
    reference: "no-such-campaign:nobody:1",
    status: "paid",
    providerRef: "pay_1",
    amount: 500,
    currency: "CNY",
    ...change,
  });

async function post(body: string, secret = FAKE_PAYMENTS_SECRET, at = Date.now() / 1000, headers: Record<string, string> = {}): Promise<Response> {
  const signed = await signatureHeaders(secret, body, at);
  return call(PATH, { method: "POST", headers: { ...signed, "content-type": "application/json", ...headers }, body });
}

describe("POST /v1/payments/callback", () => {
  it("takes a signed callback with no bearer token; one for a saga that is unknown or over is still 200", async () => {
    const response = await post(callback());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    const again = await post(callback());
    expect(again.status).toBe(200);
  });

  it("refuses an unsigned, a wrongly signed and a tampered callback with 401, before reading the body", async () => {
    const unsigned = await call(PATH, { method: "POST", json: JSON.parse(callback()) });
    expect(unsigned.status).toBe(401);
    expect(await errorOf(unsigned)).toMatchObject({ code: "unauthorized", message: expect.stringContaining("bad_signature"), requestId: expect.any(String) });
    expect((await post(callback(), "another-secret")).status).toBe(401);
    const body = callback();
    const signed = await signatureHeaders(FAKE_PAYMENTS_SECRET, body, Date.now() / 1000);
    const tampered = await call(PATH, { method: "POST", headers: { ...signed, "content-type": "application/json" }, body: callback({ amount: 50_000 }) });
    expect(tampered.status).toBe(401);
    expect((await post("not json", "another-secret")).status).toBe(401);
  });

  it("refuses a replay older than five minutes with 401 stale", async () => {
    const stale = await post(callback(), FAKE_PAYMENTS_SECRET, Date.now() / 1000 - 600);
    expect(stale.status).toBe(401);
    expect(await errorOf(stale)).toMatchObject({ code: "unauthorized", message: expect.stringContaining("stale") });
  });

  it("answers 400 naming the field for a signed body that is not a callback", async () => {
    const invalid = await post(callback({ amount: 5.5 }));
    expect(invalid.status).toBe(400);
    expect(await errorOf(invalid)).toMatchObject({ code: "invalid_request", message: expect.stringContaining("amount") });
    expect((await post("{")).status).toBe(400);
  });

  it("is in the OpenAPI document, without bearer security", async () => {
    const document = (await (await call("/openapi.json")).json()) as { paths: Record<string, { post?: { security?: unknown[] } }> };
    expect(document.paths[PATH]?.post?.security).toEqual([]);
  });
});
