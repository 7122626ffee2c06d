import { describe, expect, it } from "vitest";
import { call, errorOf, say } from "../helpers.js";

const guest = (ip: string) => call("/v1/sessions/anonymous", { method: "POST", headers: { "cf-connecting-ip": ip } });

describe("POST /v1/sessions/anonymous", () => {
  it("issues a guest token that can chat", async () => {
    const response = await guest("203.0.113.1");
    expect(response.status).toBe(201);
    const session = (await response.json()) as { token: string; userId: string; expiresAt: number };
    expect(session.userId).toMatch(/^guest_[0-9a-f]{32}$/);
    expect(session.expiresAt).toBeGreaterThan(Date.now());
    const turn = await say(session.token, "hello", "g1");
    expect(turn.status).toBe(200);
    const view = (await (await call("/v1/conversation", { token: session.token })).json()) as { userId: string };
    expect(view.userId).toBe(session.userId);
  });

  it("issues a guest token that can use voice, so the widget can offer its microphone", async () => {
    const session = (await (await guest("203.0.113.3")).json()) as { token: string };
    // vitest.config.ts configures a (fake) speech provider for the worker tests.
    const capabilities = await call("/v1/voice", { token: session.token });
    expect(capabilities.status).toBe(200);
    expect(((await capabilities.json()) as { available: boolean }).available).toBe(true);
  });

  it("gives every guest their own identity", async () => {
    const a = (await (await guest("203.0.113.2")).json()) as { userId: string };
    const b = (await (await guest("203.0.113.2")).json()) as { userId: string };
    expect(a.userId).not.toBe(b.userId);
  });

  it("limits guest sessions per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await guest("198.51.100.7")).status);
    expect(statuses.slice(0, 30).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const refused = await guest("198.51.100.7");
    expect(refused.headers.get("retry-after")).toBe("60");
    expect((await errorOf(refused)).code).toBe("rate_limited");
    expect((await guest("198.51.100.8")).status).toBe(201);
  });
});

describe("security headers", () => {
  it("come with every answer, errors included", async () => {
    for (const response of [await call("/healthz"), await call("/v1/conversation")]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(response.headers.get("strict-transport-security")).toContain("max-age=");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      // HTML-only headers stay off JSON answers.
      expect(response.headers.get("x-xss-protection")).toBeNull();
      expect(response.headers.get("x-download-options")).toBeNull();
    }
  });
});

describe("CORS", () => {
  it("answers a preflight from an allowed origin only", async () => {
    // vitest.config.ts sets ALLOWED_ORIGINS to https://shop.example for the worker tests.
    const preflight = (origin: string) =>
      call("/v1/messages", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
      });
    const allowed = await preflight("https://shop.example");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("authorization");
    const other = await preflight("https://evil.example");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
