import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { childTrace, nextTraceparent, parseTraceparent, traceFields, traceFor, traceHeaders } from "../../../src/metrics/trace.js";
import { sha256Hex, userHash } from "../../../src/metrics/user-hash.js";

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

  it("carries the user only as a hash, in baggage, down every hop", () => {
    const trace = traceFor(PARENT, "alice@example.com");
    expect(trace.baggage).toBe(`parley.user=${userHash("alice@example.com")}`);
    expect(JSON.stringify(trace)).not.toContain("alice");
    const child = childTrace(trace);
    expect(child.baggage).toBe(trace.baggage);
    expect(traceFields(child)).toEqual({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: parseTraceparent(child.traceparent)?.spanId, user: userHash("alice@example.com") });
    expect(traceHeaders(child)).toEqual({ traceparent: child.traceparent, baggage: trace.baggage });
  });

  it("starts a trace for a hop that got none", () => {
    expect(parseTraceparent(childTrace(undefined).traceparent)).not.toBeNull();
    expect(traceFields(undefined)).toEqual({});
  });
});

describe("userHash", () => {
  it("is SHA-256, synchronously, over UTF-8 (checked against node:crypto)", () => {
    for (const text of ["", "abc", "用户-7", "x".repeat(200)]) expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
  });

  it("gives 16 hex digits, stable, different per user", () => {
    expect(userHash("u7")).toMatch(/^[0-9a-f]{16}$/);
    expect(userHash("u7")).toBe(userHash("u7"));
    expect(userHash("u7")).not.toBe(userHash("u8"));
  });
});
