import { describe, expect, it } from "vitest";
import type { FetchLike } from "../../../src/payments/http-provider.js";
import { httpPaymentProvider } from "../../../src/payments/http-provider.js";
import { PaymentRequestError, TransientPaymentError } from "../../../src/payments/provider.js";
import { verifySignature } from "../../../src/payments/signing.js";

const SECRET = "test-payments-secret";
const request = { idempotencyKey: "spring:3f0c9a:1", amount: 500, currency: "CNY", account: "acct-1", reference: "spring:3f0c9a:1" };

interface Seen {
  url: string;
  init: RequestInit;
}

/** A provider whose every answer is `answer()`: the adapter's reading of what a real provider may say. */
function answering(answer: () => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (url, init) => {
    seen.push({ url, init });
    return answer();
  };
  return { seen, provider: httpPaymentProvider({ baseUrl: "https://pay.example", secret: SECRET, fetch, timeoutMs: 50 }) };
}

describe("httpPaymentProvider reads every answer with suspicion", () => {
  it("sends a signed JSON POST with the idempotency key, and a signed GET for the status", async () => {
    const { seen, provider } = answering(() => Response.json({ id: "pay_1", status: "paid" }));
    await provider.pay({ ...request, callbackUrl: "https://parley.test/v1/payments/callback" });
    await provider.status("spring:3f0c9a:1");
    const [post, get] = seen;
    expect(post?.url).toBe("https://pay.example/v1/payouts");
    expect(post?.init.method).toBe("POST");
    const headers = new Headers(post?.init.headers);
    expect(headers.get("idempotency-key")).toBe("spring:3f0c9a:1");
    expect(headers.get("content-type")).toBe("application/json");
    const body = String(post?.init.body);
    expect(JSON.parse(body)).toEqual({
      amount: 500,
      currency: "CNY",
      account: "acct-1",
      reference: "spring:3f0c9a:1",
      callbackUrl: "https://parley.test/v1/payments/callback",
    });
    expect(await verifySignature(SECRET, headers, body, Date.now() / 1000)).toEqual({ ok: true });
    expect(get?.url).toBe("https://pay.example/v1/payouts/spring%3A3f0c9a%3A1");
    expect(get?.init.method).toBe("GET");
    expect(await verifySignature(SECRET, new Headers(get?.init.headers), "", Date.now() / 1000)).toEqual({ ok: true });
  });

  it("maps paid, pending and rejected answers", async () => {
    expect(await answering(() => Response.json({ id: "p", status: "pending" })).provider.pay(request)).toEqual({ status: "pending", providerRef: "p" });
    expect(await answering(() => Response.json({ id: "p", status: "rejected", reason: "limit_exceeded" })).provider.pay(request)).toEqual({
      status: "rejected",
      reason: "limit_exceeded",
      providerRef: "p",
    });
  });

  it("takes a 4xx with a business error code as a rejection", async () => {
    const insufficient = answering(() => Response.json({ error: { code: "insufficient_funds" } }, { status: 402 }));
    expect(await insufficient.provider.pay(request)).toEqual({ status: "rejected", reason: "insufficient_funds" });
    const invalid = answering(() => Response.json({ error: { code: "invalid_account" }, id: "p9" }, { status: 422 }));
    expect(await invalid.provider.pay(request)).toEqual({ status: "rejected", reason: "invalid_account", providerRef: "p9" });
  });

  it("throws TransientPaymentError when the outcome is unknown", async () => {
    const unknown: (() => Response | Promise<Response>)[] = [
      () => new Response("oops", { status: 500 }),
      () => new Response(null, { status: 502 }),
      () => Response.json({ error: { code: "rate_limited" } }, { status: 429 }),
      () => Response.json({ error: { code: "idempotency_conflict" } }, { status: 409 }),
      () => Response.json({ error: { code: "invalid_account" } }, { status: 503 }),
      () => new Response("<html>paid!</html>", { status: 200 }),
      () => Response.json({ id: "p", status: "done" }),
      () => Response.json({ status: "paid" }),
      () => Promise.reject(new TypeError("fetch failed")),
      () => new Promise<Response>(() => {}),
    ];
    for (const answer of unknown) await expect(answering(answer).provider.pay(request)).rejects.toBeInstanceOf(TransientPaymentError);
  });

  it("throws PaymentRequestError when the provider refused the request itself", async () => {
    const refused: (() => Response)[] = [
      () => Response.json({ error: { code: "bad_signature" } }, { status: 401 }),
      () => Response.json({ error: { code: "invalid_request" } }, { status: 400 }),
      () => new Response("bad request", { status: 400 }),
      () => Response.json({ error: { code: "forbidden_account" } }, { status: 403 }),
      () => new Response("no such route", { status: 404 }),
    ];
    for (const answer of refused) await expect(answering(answer).provider.pay(request)).rejects.toBeInstanceOf(PaymentRequestError);
  });

  it("reads a 404 status lookup as not_found, and other failures like pay does", async () => {
    expect(await answering(() => new Response(null, { status: 404 })).provider.status("k1")).toEqual({ status: "not_found" });
    await expect(answering(() => new Response(null, { status: 503 })).provider.status("k1")).rejects.toBeInstanceOf(TransientPaymentError);
    await expect(answering(() => Response.json({ id: 7 })).provider.status("k1")).rejects.toBeInstanceOf(TransientPaymentError);
  });
});
