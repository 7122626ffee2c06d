import { describe, expect, it } from "vitest";
import { createFakePaymentProvider } from "../../../src/payments/fake-provider.js";
import type { FakeLedger } from "../../../src/payments/fake-state.js";
import { signatureHeaders } from "../../../src/payments/signing.js";
import { FAKE_PAYMENTS_ORIGIN, FAKE_PAYMENTS_SECRET } from "../../fakes/payments.js";

const payout = { amount: 500, currency: "CNY", account: "acct-1", reference: "ref-1" };

/** A raw signed request to the fake, as any HTTP client would send it. */
async function signedRequest(method: string, path: string, body: unknown, options: { key?: string; secret?: string } = {}): Promise<Request> {
  const text = body === undefined ? "" : JSON.stringify(body);
  const headers = new Headers(await signatureHeaders(options.secret ?? FAKE_PAYMENTS_SECRET, text, Date.now() / 1000));
  if (options.key) headers.set("idempotency-key", options.key);
  return new Request(`${FAKE_PAYMENTS_ORIGIN}${path}`, { method, headers, body: method === "GET" ? null : text });
}

async function control(fake: ReturnType<typeof createFakePaymentProvider>, method: string, path: string, body?: unknown): Promise<Response> {
  return fake.handle(new Request(`${FAKE_PAYMENTS_ORIGIN}${path}`, { method, body: body === undefined ? null : JSON.stringify(body) }));
}

describe("the fake payment provider over HTTP", () => {
  it("answers 401 to an unsigned, wrongly signed or tampered request, and records nothing", async () => {
    const fake = createFakePaymentProvider({ secret: FAKE_PAYMENTS_SECRET });
    const unsigned = new Request(`${FAKE_PAYMENTS_ORIGIN}/v1/payouts`, { method: "POST", headers: { "idempotency-key": "k1" }, body: JSON.stringify(payout) });
    expect((await fake.handle(unsigned)).status).toBe(401);
    expect((await fake.handle(await signedRequest("POST", "/v1/payouts", payout, { key: "k1", secret: "wrong" }))).status).toBe(401);
    const signed = await signedRequest("POST", "/v1/payouts", payout, { key: "k1" });
    const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify({ ...payout, amount: 50_000 }) });
    const answer = await fake.handle(tampered);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: { code: "bad_signature" } });
    expect(fake.ledger().payments).toEqual([]);
  });

  it("answers 400 to an amount that is not an integer > 0, and to a missing idempotency key", async () => {
    const fake = createFakePaymentProvider({ secret: FAKE_PAYMENTS_SECRET });
    for (const amount of [0, -1, 1.5, "500", null]) {
      const answer = await fake.handle(await signedRequest("POST", "/v1/payouts", { ...payout, amount }, { key: "k1" }));
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
    expect((await fake.handle(await signedRequest("POST", "/v1/payouts", payout))).status).toBe(400);
    expect(fake.ledger().payments).toEqual([]);
  });

  it("answers 409 when a key comes back with another payment, keeping the first", async () => {
    const fake = createFakePaymentProvider({ secret: FAKE_PAYMENTS_SECRET });
    expect((await fake.handle(await signedRequest("POST", "/v1/payouts", payout, { key: "k1" }))).status).toBe(200);
    const again = await fake.handle(await signedRequest("POST", "/v1/payouts", { ...payout, amount: 900 }, { key: "k1" }));
    expect(again.status).toBe(409);
    expect(fake.ledger().totals).toEqual({ paid: { CNY: 500 }, count: 1 });
  });

  it("sums paid payments per currency; rejected and pending ones are listed, not counted", async () => {
    const fake = createFakePaymentProvider({ secret: FAKE_PAYMENTS_SECRET, fetch: async () => new Response(null, { status: 500 }) });
    await fake.handle(await signedRequest("POST", "/v1/payouts", payout, { key: "k1" }));
    await fake.handle(await signedRequest("POST", "/v1/payouts", { ...payout, amount: 250 }, { key: "k2" }));
    await fake.handle(await signedRequest("POST", "/v1/payouts", { ...payout, currency: "USD", amount: 99 }, { key: "k3" }));
    await control(fake, "PUT", "/__fake/faults", { rejectAll: "limit_exceeded" });
    expect((await fake.handle(await signedRequest("POST", "/v1/payouts", payout, { key: "k4" }))).status).toBe(422);
    await control(fake, "PUT", "/__fake/faults", { async: true, callbackDelayMs: 60_000 });
    await fake.handle(await signedRequest("POST", "/v1/payouts", payout, { key: "k5" }));
    const ledger = (await (await control(fake, "GET", "/__fake/ledger")).json()) as FakeLedger;
    expect(ledger).toMatchObject({ totals: { paid: { CNY: 750, USD: 99 }, count: 3 }, callbacksSent: 0 });
    expect(ledger.payments.map((p) => p.status)).toEqual(["paid", "paid", "paid", "rejected", "pending"]);
  });

  it("counts a callback nobody accepts as failed, after retrying it", async () => {
    let attempts = 0;
    const fake = createFakePaymentProvider({
      secret: FAKE_PAYMENTS_SECRET,
      fetch: async () => {
        attempts++;
        throw new TypeError("connection refused");
      },
    });
    fake.setFaults({ async: true });
    await fake.handle(await signedRequest("POST", "/v1/payouts", { ...payout, callbackUrl: "https://parley.test/cb" }, { key: "k1" }));
    await fake.idle();
    expect(attempts).toBe(3);
    expect(fake.ledger()).toMatchObject({ callbacksSent: 0, callbacksFailed: 1, totals: { count: 1 } });
  });

  it("sets faults by PUT (400 for an unknown one or a protocol code as a reason), and reset clears everything", async () => {
    const fake = createFakePaymentProvider({ secret: FAKE_PAYMENTS_SECRET });
    expect((await control(fake, "PUT", "/__fake/faults", { explode: true })).status).toBe(400);
    expect((await control(fake, "PUT", "/__fake/faults", { rejectAll: "bad_signature" })).status).toBe(400);
    expect((await control(fake, "PUT", "/__fake/faults", { fail5xx: -1 })).status).toBe(400);
    expect(await (await control(fake, "PUT", "/__fake/faults", { fail5xx: 1 })).json()).toEqual({ fail5xx: 1 });
    expect((await fake.handle(await signedRequest("POST", "/v1/payouts", payout, { key: "k1" }))).status).toBe(503);
    expect(await (await control(fake, "GET", "/__fake/faults")).json()).toEqual({ fail5xx: 0 });
    await fake.handle(await signedRequest("POST", "/v1/payouts", payout, { key: "k1" }));
    expect(fake.ledger().totals.count).toBe(1);
    await control(fake, "PUT", "/__fake/faults", { rejectAll: "limit_exceeded" });
    expect((await control(fake, "POST", "/__fake/reset")).status).toBe(200);
    expect(fake.ledger().payments).toEqual([]);
    expect((await fake.handle(await signedRequest("POST", "/v1/payouts", payout, { key: "k1" }))).status).toBe(200);
  });

  it("answers 404 to a route it does not have, and to an unknown key's status", async () => {
    const fake = createFakePaymentProvider({ secret: FAKE_PAYMENTS_SECRET });
    expect((await fake.handle(await signedRequest("DELETE", "/v1/payouts/k1", undefined))).status).toBe(404);
    const unknown = await fake.handle(await signedRequest("GET", "/v1/payouts/k1", undefined));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
