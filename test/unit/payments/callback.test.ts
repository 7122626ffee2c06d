import { describe, expect, it } from "vitest";
import type { PaymentCallback } from "../../../src/payments/callback.js";
import { parseCallback } from "../../../src/payments/callback.js";
import { signatureHeaders } from "../../../src/payments/signing.js";

const SECRET = "test-payments-secret";
const NOW_S = 1_800_000_000;

const callback: PaymentCallback = {
  eventId: "evt_1",
  idempotencyKey: "spring:3f0c9a:1",
  reference: "spring:3f0c9a:1",
  status: "paid",
  providerRef: "pay_1",
  amount: 500,
  currency: "CNY",
};

async function delivered(body: string, at = NOW_S, secret = SECRET): Promise<Headers> {
  return new Headers({ ...(await signatureHeaders(secret, body, at)), "content-type": "application/json" });
}

describe("parseCallback", () => {
  it("returns a signed, fresh, well-formed callback", async () => {
    const body = JSON.stringify(callback);
    expect(await parseCallback(SECRET, await delivered(body), body, NOW_S)).toEqual({ ok: true, callback });
    const rejected = JSON.stringify({ ...callback, status: "rejected", reason: "invalid_account" });
    expect(await parseCallback(SECRET, await delivered(rejected), rejected, NOW_S)).toMatchObject({
      ok: true,
      callback: { status: "rejected", reason: "invalid_account" },
    });
  });

  it("refuses a forged or tampered callback before reading its body", async () => {
    const body = JSON.stringify(callback);
    const forged = await parseCallback(SECRET, await delivered(body, NOW_S, "not-the-secret"), body, NOW_S);
    expect(forged).toMatchObject({ ok: false, code: "bad_signature" });
    const richer = JSON.stringify({ ...callback, amount: 50_000 });
    expect(await parseCallback(SECRET, await delivered(body), richer, NOW_S)).toMatchObject({ ok: false, code: "bad_signature" });
    expect(await parseCallback(SECRET, new Headers(), body, NOW_S)).toMatchObject({ ok: false, code: "bad_signature" });
    expect(await parseCallback(SECRET, await delivered(body), "not json", NOW_S)).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it("calls a replay older than five minutes stale", async () => {
    const body = JSON.stringify(callback);
    expect(await parseCallback(SECRET, await delivered(body, NOW_S - 600), body, NOW_S)).toMatchObject({ ok: false, code: "stale" });
  });

  it("refuses a signed body that is not a callback, naming the field", async () => {
    for (const bad of ["not json", JSON.stringify({ ...callback, amount: 5.5 }), JSON.stringify({ ...callback, status: "pending" })]) {
      const parsed = await parseCallback(SECRET, await delivered(bad), bad, NOW_S);
      expect(parsed).toMatchObject({ ok: false, code: "invalid_body" });
    }
    const { eventId: _, ...withoutEvent } = callback;
    const body = JSON.stringify(withoutEvent);
    const parsed = await parseCallback(SECRET, await delivered(body), body, NOW_S);
    expect(parsed.ok === false && parsed.message).toContain("eventId");
  });
});
