import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signatureHeaders, verifySignature } from "../../../src/payments/signing.js";

const SECRET = "test-payments-secret";
const NOW_S = 1_800_000_000;

async function signed(body: string, at = NOW_S, secret = SECRET): Promise<Headers> {
  return new Headers(await signatureHeaders(secret, body, at));
}

describe("payment signatures", () => {
  it("signs the timestamp and the body with HMAC-SHA256, as v1=<hex>", async () => {
    const headers = await signed('{"amount":500}');
    expect(headers.get(TIMESTAMP_HEADER)).toBe(String(NOW_S));
    expect(headers.get(SIGNATURE_HEADER)).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(await verifySignature(SECRET, headers, '{"amount":500}', NOW_S)).toEqual({ ok: true });
  });

  it("refuses another body, another secret, another timestamp and missing headers", async () => {
    const headers = await signed('{"amount":500}');
    expect(await verifySignature(SECRET, headers, '{"amount":5000}', NOW_S)).toMatchObject({ ok: false, code: "bad_signature" });
    expect(await verifySignature("another-secret", headers, '{"amount":500}', NOW_S)).toMatchObject({ ok: false, code: "bad_signature" });
    const moved = new Headers(headers);
    moved.set(TIMESTAMP_HEADER, String(NOW_S + 1));
    expect(await verifySignature(SECRET, moved, '{"amount":500}', NOW_S)).toMatchObject({ ok: false, code: "bad_signature" });
    expect(await verifySignature(SECRET, new Headers(), "", NOW_S)).toMatchObject({ ok: false, code: "bad_signature" });
    const upper = new Headers(headers);
    upper.set(SIGNATURE_HEADER, (headers.get(SIGNATURE_HEADER) ?? "").replace("v1=", "v2="));
    expect(await verifySignature(SECRET, upper, '{"amount":500}', NOW_S)).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it("calls a genuine signature stale past the tolerance, either way, and fresh within it", async () => {
    const old = await signed("{}", NOW_S - 301);
    expect(await verifySignature(SECRET, old, "{}", NOW_S)).toMatchObject({ ok: false, code: "stale" });
    const future = await signed("{}", NOW_S + 301);
    expect(await verifySignature(SECRET, future, "{}", NOW_S)).toMatchObject({ ok: false, code: "stale" });
    expect(await verifySignature(SECRET, await signed("{}", NOW_S - 300), "{}", NOW_S)).toEqual({ ok: true });
    expect(await verifySignature(SECRET, old, "{}", NOW_S, 600)).toEqual({ ok: true });
  });

  it("verifies any body it signed, and no body changed by one character", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.string(), fc.nat(), async (body, secret, index) => {
        const key = `k${secret}`;
        const headers = await signed(body, NOW_S, key);
        expect(await verifySignature(key, headers, body, NOW_S)).toEqual({ ok: true });
        const at = index % body.length;
        const changed = `${body.slice(0, at)}${body[at] === "x" ? "y" : "x"}${body.slice(at + 1)}`;
        expect((await verifySignature(key, headers, changed, NOW_S)).ok).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});
