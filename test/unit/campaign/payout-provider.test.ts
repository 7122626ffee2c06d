import { describe, expect, it } from "vitest";
import { DEV_PAYMENT_SECRET, inIsolateFakePayments, paymentCallbackSecretOf, paymentProviderOf } from "../../../platform/payments.js";
import { PaymentRequestError } from "../../../src/payments/provider.js";

const development = { ENVIRONMENT: "development" };
const production = { ENVIRONMENT: "production" };

describe("choosing the payment provider from the settings", () => {
  it("development with nothing configured pays through the in-isolate fake, out of the box", async () => {
    const provider = paymentProviderOf(development);
    const outcome = await provider.pay({ idempotencyKey: "k-dev-1", amount: 500, currency: "CNY", account: "alice", reference: "spring:u:1" });
    expect(outcome).toMatchObject({ status: "paid" });
    expect(await paymentProviderOf(development).status("k-dev-1")).toEqual(outcome);
    expect(inIsolateFakePayments()?.ledger().totals.count).toBeGreaterThanOrEqual(1);
  });

  it('"fake" chooses the fake anywhere; a base URL chooses "http"', async () => {
    expect(await paymentProviderOf({ ...production, PAYMENT_PROVIDER: "fake" }).status("k-none")).toEqual({ status: "not_found" });
    expect(paymentProviderOf({ ...development, PAYMENT_BASE_URL: "https://pay.example", PAYMENT_SECRET: "s" })).toBeDefined();
  });

  it("production with nothing configured, http without URL or secret, or an unknown name: a PaymentRequestError", () => {
    expect(() => paymentProviderOf(production)).toThrow(PaymentRequestError);
    expect(() => paymentProviderOf({ ...production, PAYMENT_PROVIDER: "http", PAYMENT_BASE_URL: "https://pay.example" })).toThrow(/PAYMENT_SECRET/);
    expect(() => paymentProviderOf({ ...production, PAYMENT_PROVIDER: "paypal" })).toThrow(/"paypal"/);
  });

  it("callbacks are checked with PAYMENT_SECRET, or the fake's secret in development only", () => {
    expect(paymentCallbackSecretOf({ ...production, PAYMENT_SECRET: "s" })).toBe("s");
    expect(paymentCallbackSecretOf(development)).toBe(DEV_PAYMENT_SECRET);
    expect(paymentCallbackSecretOf(production)).toBeUndefined();
  });
});
