import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { childTrace, nextTraceparent, parseTraceparent, traceFields, traceFor, traceHeaders } from "../../../src/metrics/trace.js";
import { importHmacKey } from "../../../src/security/mac.js";
import { pseudonymOf } from "../../../src/security/pseudonym.js";

const PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("trace context", () => {
  it("continues a caller's trace with a span of its own, and starts one for garbage", () => {
    const next = nextTraceparent(PARENT);
    expect(parseTraceparent(next)?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(parseTraceparent(next)?.spanId).not.toBe("00f067aa0ba902b7");
    for (const bad of ["", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"]) {
      expect(parseTraceparent(nextTraceparent(bad))?.traceId).not.toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    }
  });

  it("carries the user only as a pseudonym, in baggage, down every hop", async () => {
    const pseudonym = await pseudonymOf(await importHmacKey("a deployment's key"), "alice@example.com");
    const trace = traceFor(PARENT, pseudonym);
    expect(trace.baggage).toBe(`parley.user=${pseudonym}`);
    expect(JSON.stringify(trace)).not.toContain("alice");
    const child = childTrace(trace);
    expect(child.baggage).toBe(trace.baggage);
    expect(traceFields(child)).toEqual({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: parseTraceparent(child.traceparent)?.spanId, user: pseudonym });
    expect(traceHeaders(child)).toEqual({ traceparent: child.traceparent, baggage: trace.baggage });
  });

  it("starts a trace for a hop that got none", () => {
    expect(parseTraceparent(childTrace(undefined).traceparent)).not.toBeNull();
    expect(traceFields(undefined)).toEqual({});
  });
});

describe("pseudonymOf", () => {
  it("is HMAC-SHA256 of the user id under the deployment's key, cut to 16 hex digits (checked against node:crypto)", async () => {
    const key = await importHmacKey("a deployment's key");
    for (const userId of ["", "abc", "用户-7", "x".repeat(200)]) {
      const expected = createHmac("sha256", "a deployment's key").update(`parley.user:${userId}`, "utf8").digest("hex").slice(0, 16);
      expect(await pseudonymOf(key, userId)).toBe(expected);
    }
  });

  it("is stable and different per user, and cannot be computed without the key", async () => {
    const key = await importHmacKey("a deployment's key");
    const other = await importHmacKey("another deployment's key");
    expect(await pseudonymOf(key, "u7")).toMatch(/^[0-9a-f]{16}$/);
    expect(await pseudonymOf(key, "u7")).toBe(await pseudonymOf(key, "u7"));
    expect(await pseudonymOf(key, "u7")).not.toBe(await pseudonymOf(key, "u8"));
    // Someone holding a list of user ids but not the key gets other values than the logs hold.
    expect(await pseudonymOf(other, "u7")).not.toBe(await pseudonymOf(key, "u7"));
  });
});
