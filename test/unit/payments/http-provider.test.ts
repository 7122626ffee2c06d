import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCallback } from "../../../src/payments/callback.js";
import { createFakePaymentProvider } from "../../../src/payments/fake-provider.js";
import type { FakeFaults } from "../../../src/payments/fake-state.js";
import { httpPaymentProvider } from "../../../src/payments/http-provider.js";
import type { PaymentRequest } from "../../../src/payments/provider.js";
import { PaymentRequestError, TransientPaymentError } from "../../../src/payments/provider.js";
import { FAKE_PAYMENTS_ORIGIN, FAKE_PAYMENTS_SECRET, fetchFromFake } from "../../fakes/payments.js";

const CALLBACK_URL = "https://parley.test/v1/payments/callback";

/** The adapter talking to the fake in process; callbacks the fake sends are collected. */
function connected(options: { faults?: FakeFaults; timeoutMs?: number; secret?: string; clockSkewMs?: number } = {}) {
  const callbacks: Request[] = [];
  const fake = createFakePaymentProvider({
    secret: FAKE_PAYMENTS_SECRET,
    fetch: async (url, init) => {
      callbacks.push(new Request(url, init));
      return new Response(null, { status: 204 });
    },
  });
  if (options.faults) fake.setFaults(options.faults);
  const provider = httpPaymentProvider({
    baseUrl: `${FAKE_PAYMENTS_ORIGIN}/`,
    secret: options.secret ?? FAKE_PAYMENTS_SECRET,
    fetch: fetchFromFake(fake),
    timeoutMs: options.timeoutMs ?? 5000,
    now: () => Date.now() + (options.clockSkewMs ?? 0),
  });
  return { fake, provider, callbacks };
}

function payment(key: string, extra: Partial<PaymentRequest> = {}): PaymentRequest {
  return { idempotencyKey: key, amount: 500, currency: "CNY", account: "acct-1", reference: `ref-${key}`, ...extra };
}

describe("httpPaymentProvider against the fake provider", () => {
  it("pays, and the provider's ledger shows the payment", async () => {
    const { fake, provider } = connected();
    const outcome = await provider.pay(payment("k1"));
    expect(outcome).toEqual({ status: "paid", providerRef: expect.any(String) });
    expect(fake.ledger()).toMatchObject({
      payments: [{ idempotencyKey: "k1", reference: "ref-k1", amount: 500, currency: "CNY", account: "acct-1", status: "paid" }],
      totals: { paid: { CNY: 500 }, count: 1 },
    });
    expect(await provider.status("k1")).toEqual(outcome);
    expect(await provider.status("never-paid")).toEqual({ status: "not_found" });
  });

  it("pays a retried key once, answering the same payment", async () => {
    const { fake, provider } = connected();
    const first = await provider.pay(payment("k1"));
    expect(await provider.pay(payment("k1"))).toEqual(first);
    expect(await provider.pay(payment("k1"))).toEqual(first);
    expect(fake.ledger().totals).toEqual({ paid: { CNY: 500 }, count: 1 });
  });

  it("throws TransientPaymentError on 503 (nothing paid), then pays once it recovers", async () => {
    const { fake, provider } = connected({ faults: { fail5xx: 2 } });
    await expect(provider.pay(payment("k1"))).rejects.toBeInstanceOf(TransientPaymentError);
    await expect(provider.status("k1")).rejects.toBeInstanceOf(TransientPaymentError);
    expect(fake.ledger().payments).toEqual([]);
    expect(await provider.pay(payment("k1"))).toMatchObject({ status: "paid" });
    expect(fake.ledger().totals.count).toBe(1);
  });

  it("after a timeout whose payment went through, the status lookup finds it and a retry does not pay again", async () => {
    const { fake, provider } = connected({ faults: { timeoutAfterSuccess: 1 }, timeoutMs: 50 });
    const lost = provider.pay(payment("k1"));
    await expect(lost).rejects.toBeInstanceOf(TransientPaymentError);
    await expect(lost).rejects.toThrow(/no answer within 50 ms/);
    const found = await provider.status("k1");
    expect(found).toMatchObject({ status: "paid" });
    expect(await provider.pay(payment("k1"))).toEqual(found);
    expect(fake.ledger().totals).toEqual({ paid: { CNY: 500 }, count: 1 });
  });

  it("a 504 after success is transient too, and the payment is on the ledger", async () => {
    const { fake, provider } = connected({ faults: { timeoutAfterSuccess: 1, timeoutDelayMs: 0 } });
    await expect(provider.pay(payment("k1"))).rejects.toThrow(/answered 504/);
    expect(fake.ledger().totals.count).toBe(1);
    expect(await provider.pay(payment("k2"))).toMatchObject({ status: "paid" });
  });

  it("returns business rejections (per account, or all) as rejected, never paid, the same on retry", async () => {
    const { fake, provider } = connected({ faults: { rejectAccounts: { "acct-bad": "invalid_account" } } });
    const rejected = await provider.pay(payment("k1", { account: "acct-bad" }));
    expect(rejected).toEqual({ status: "rejected", reason: "invalid_account", providerRef: expect.any(String) });
    expect(await provider.pay(payment("k1", { account: "acct-bad" }))).toEqual(rejected);
    expect(await provider.status("k1")).toEqual(rejected);
    expect(await provider.pay(payment("k2"))).toMatchObject({ status: "paid" });
    fake.setFaults({ rejectAll: "limit_exceeded" });
    expect(await provider.pay(payment("k3"))).toMatchObject({ status: "rejected", reason: "limit_exceeded" });
    expect(fake.ledger().totals).toEqual({ paid: { CNY: 500 }, count: 1 });
  });

  it("waits for a slow provider within its timeout, and gives up past it without paying twice", async () => {
    const slow = connected({ faults: { slowMs: 20 } });
    expect(await slow.provider.pay(payment("k1"))).toMatchObject({ status: "paid" });
    const tooSlow = connected({ faults: { slowMs: 10_000 }, timeoutMs: 30 });
    await expect(tooSlow.provider.pay(payment("k1"))).rejects.toBeInstanceOf(TransientPaymentError);
    tooSlow.fake.setFaults({});
    expect(await tooSlow.provider.pay(payment("k1"))).toMatchObject({ status: "paid" });
    expect(tooSlow.fake.ledger().totals.count).toBe(1);
  });

  it("async: answers pending, then the signed callback carries the final status", async () => {
    const { fake, provider, callbacks } = connected({ faults: { async: true, rejectAccounts: { "acct-bad": "invalid_account" } } });
    const pending = await provider.pay(payment("k1", { callbackUrl: CALLBACK_URL }));
    expect(pending).toEqual({ status: "pending", providerRef: expect.any(String) });
    await provider.pay(payment("k2", { account: "acct-bad", callbackUrl: CALLBACK_URL }));
    await fake.idle();
    expect(callbacks.map((request) => request.url)).toEqual([CALLBACK_URL, CALLBACK_URL]);
    const parsed = await Promise.all(
      callbacks.map(async (request) => parseCallback(FAKE_PAYMENTS_SECRET, request.headers, await request.text(), Date.now() / 1000)),
    );
    expect(parsed).toEqual([
      { ok: true, callback: expect.objectContaining({ idempotencyKey: "k1", status: "paid", providerRef: pending.providerRef, amount: 500 }) },
      { ok: true, callback: expect.objectContaining({ idempotencyKey: "k2", status: "rejected", reason: "invalid_account" }) },
    ]);
    expect(await provider.status("k1")).toEqual({ status: "paid", providerRef: pending.providerRef });
    expect(fake.ledger()).toMatchObject({ totals: { count: 1 }, callbacksSent: 2 });
  });

  it("duplicateCallbacks: every callback arrives twice with the same event id", async () => {
    const { fake, provider, callbacks } = connected({ faults: { async: true, duplicateCallbacks: true } });
    await provider.pay(payment("k1", { callbackUrl: CALLBACK_URL }));
    await fake.idle();
    const bodies = await Promise.all(callbacks.map((request) => request.text()));
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
    expect(fake.ledger()).toMatchObject({ totals: { count: 1 }, callbacksSent: 2 });
  });

  it("a wrong secret or a stale clock is refused with 401: PaymentRequestError, nothing paid", async () => {
    for (const options of [{ secret: "not-the-secret" }, { clockSkewMs: -10 * 60_000 }]) {
      const { fake, provider } = connected(options);
      const refused = await provider.pay(payment("k1")).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PaymentRequestError);
      expect(refused).toMatchObject({ status: 401 });
      await expect(provider.status("k1")).rejects.toBeInstanceOf(PaymentRequestError);
      expect(fake.ledger().payments).toEqual([]);
    }
  });

  it("refuses to send an amount that is not an integer > 0, or a key the provider cannot take", async () => {
    const { fake, provider } = connected();
    for (const amount of [0, -5, 1.5, Number.NaN]) await expect(provider.pay(payment("k1", { amount }))).rejects.toBeInstanceOf(TypeError);
    await expect(provider.pay(payment("a key with spaces"))).rejects.toBeInstanceOf(TypeError);
    expect(fake.ledger().payments).toEqual([]);
  });

  it("however requests are retried through 503s and lost answers, the ledger holds each key once and its total is their sum", async () => {
    const step = fc.record({
      key: fc.integer({ min: 0, max: 5 }),
      fault: fc.constantFrom<FakeFaults>({}, { fail5xx: 1 }, { timeoutAfterSuccess: 1, timeoutDelayMs: 0 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const { fake, provider } = connected();
        const amountOf = (key: number): number => (key + 1) * 100;
        for (const { key, fault } of steps) {
          fake.setFaults(fault);
          await provider.pay(payment(`k${key}`, { amount: amountOf(key) })).catch((error: unknown) => {
            if (!(error instanceof TransientPaymentError)) throw error;
          });
        }
        fake.setFaults({});
        const keys = [...new Set(steps.map((s) => s.key))];
        for (const key of keys) expect(await provider.pay(payment(`k${key}`, { amount: amountOf(key) }))).toMatchObject({ status: "paid" });
        const ledger = fake.ledger();
        expect(ledger.payments.map((p) => p.idempotencyKey).sort()).toEqual(keys.map((k) => `k${k}`).sort());
        const sum = keys.reduce((total, key) => total + amountOf(key), 0);
        expect(ledger.totals).toEqual({ paid: sum > 0 ? { CNY: sum } : {}, count: keys.length });
      }),
      { numRuns: 40 },
    );
  });
});
