import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../platform/env.js";
import { DEV_JWT_SECRET } from "../../../src/security/dev-secrets.js";
import { secretBytes } from "../../../src/security/jwt.js";
import { CLOCK_TOLERANCE_S } from "../../../src/security/token-time.js";
import { gateway } from "../../../workers/gateway/app.js";
import { authenticateToken } from "../../../workers/gateway/middleware/auth.js";
import { BASE, call, errorOf, say, tokenFor } from "../helpers.js";

const base64url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");

async function seqOf(userId: string): Promise<number> {
  const response = await call("/v1/conversation", { token: await tokenFor(userId) });
  return ((await response.json()) as { seq: number }).seq;
}

async function expectUnauthorized(response: Response, message: RegExp): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
  expect((await errorOf(response)).message).toMatch(message);
}

describe("authentication", () => {
  it("refuses a request without a token", async () => {
    await expectUnauthorized(await call("/v1/conversation"), /bearer token is required/);
  });

  it("refuses a garbled token", async () => {
    await expectUnauthorized(await say("not.a.jwt", "hi"), /not a JWT|not valid/);
  });

  it("refuses an expired token, beyond the clock tolerance", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ scope: "chat" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("expired-user")
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(secretBytes(DEV_JWT_SECRET));
    await expectUnauthorized(await say(token, "hi", "e1"), /expired/);
    expect(await seqOf("expired-user")).toBe(0);
  });

  it("refuses a token that expired after it was accepted: remembering a verified token never extends its life", async () => {
    // exp 10 s ago: inside the clock tolerance, so the gateway accepts it and remembers it.
    const exp = Math.floor(Date.now() / 1000) - 10;
    const token = await new SignJWT({ scope: "chat" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("expiring-user")
      .setExpirationTime(exp)
      .sign(secretBytes(DEV_JWT_SECRET));
    expect((await say(token, "hello", "x1")).status).toBe(200);
    // The gateway's clock is moved to the boundary rather than waited for.
    const refusedFrom = (exp + CLOCK_TOLERANCE_S) * 1000;
    await expect(authenticateToken(env as Env, token, refusedFrom - 1)).resolves.toMatchObject({ userId: "expiring-user" });
    await expect(authenticateToken(env as Env, token, refusedFrom)).rejects.toMatchObject({ code: "unauthorized", message: "token expired" });
    expect(await seqOf("expiring-user")).toBeGreaterThan(0);
  });

  it('refuses alg "none"', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = `${base64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64url(JSON.stringify({ sub: "none-user", exp, scope: "chat" }))}.`;
    await expectUnauthorized(await say(token, "hi"), /algorithm not allowed/);
    expect(await seqOf("none-user")).toBe(0);
  });

  it("refuses a token signed with another secret", async () => {
    const token = await new SignJWT({ scope: "chat" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("forger")
      .setExpirationTime("1h")
      .sign(secretBytes("some-other-secret-of-sufficient-length"));
    await expectUnauthorized(await say(token, "hi"), /signature/);
    expect(await seqOf("forger")).toBe(0);
  });

  it("refuses an RS256 token when no JWKS is configured", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT({ scope: "chat" }).setProtectedHeader({ alg: "RS256" }).setSubject("rsa").setExpirationTime("1h").sign(privateKey);
    await expectUnauthorized(await say(token, "hi"), /algorithm not allowed/);
  });

  it("refuses a token without the chat scope with 403", async () => {
    const token = await tokenFor("voice-only", ["voice"]);
    const response = await say(token, "hi", "s1");
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: "forbidden", message: expect.stringContaining("chat") });
    expect(await seqOf("voice-only")).toBe(0);
  });

  it("checks iss and aud when they are configured", async () => {
    const configured = { ...env, JWT_ISSUER: "https://id.example", JWT_AUDIENCE: "parley" } as Env;
    const request = (token: string) =>
      gateway.fetch(new Request(`${BASE}/v1/conversation`, { headers: { authorization: `Bearer ${token}` } }), configured, createExecutionContext());
    const plain = await tokenFor("iss-user");
    expect((await request(plain)).status).toBe(401);
    const right = await new SignJWT({ scope: "chat" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("iss-user")
      .setIssuer("https://id.example")
      .setAudience("parley")
      .setExpirationTime("1h")
      .sign(secretBytes(DEV_JWT_SECRET));
    expect((await request(right)).status).toBe(200);
  });

  it("verifies RS256 and ES256 tokens against a JWKS", async () => {
    const rsa = await generateKeyPair("RS256");
    const ec = await generateKeyPair("ES256");
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: "rsa", alg: "RS256" },
      { ...(await exportJWK(ec.publicKey)), kid: "ec", alg: "ES256" },
    ];
    const jwksUrl = `data:application/json,${encodeURIComponent(JSON.stringify({ keys }))}`;
    const withJwks = { ...env, JWT_JWKS_URL: jwksUrl } as Env;
    for (const [alg, kid, key] of [
      ["RS256", "rsa", rsa.privateKey],
      ["ES256", "ec", ec.privateKey],
    ] as const) {
      const token = await new SignJWT({ scope: "chat" }).setProtectedHeader({ alg, kid }).setSubject(`jwks-${kid}`).setExpirationTime("1h").sign(key);
      const response = await gateway.fetch(
        new Request(`${BASE}/v1/conversation`, { headers: { authorization: `Bearer ${token}` } }),
        withJwks,
        createExecutionContext(),
      );
      expect(response.status, alg).toBe(200);
      expect(((await response.json()) as { userId: string }).userId).toBe(`jwks-${kid}`);
    }
  });
});

describe("outside development", () => {
  const production = (overrides: Partial<Env>) =>
    ({ ...env, ENVIRONMENT: "production", JWT_SECRET: "", SNAPSHOT_MAC_KEY: "", SLOT_KEYS: "", SLOT_KEY_ACTIVE: "", PSEUDONYM_KEY: "", ...overrides }) as Env;

  it("answers 503 on /v1/* when no key is configured, even to a development token", async () => {
    const token = await tokenFor("prod-user");
    const response = await gateway.fetch(
      new Request(`${BASE}/v1/conversation`, { headers: { authorization: `Bearer ${token}` } }),
      production({}),
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect(await errorOf(response)).toMatchObject({ code: "unavailable", message: expect.stringContaining("JWT_SECRET") });
  });

  it("does not accept the development secret once a real one is set", async () => {
    const token = await tokenFor("prod-user");
    const configured = production({
      JWT_SECRET: "a-real-production-secret-of-32-bytes!!",
      SNAPSHOT_MAC_KEY: "mac-key",
      SLOT_KEYS: JSON.stringify({ k1: btoa("k".repeat(32)) }),
      SLOT_KEY_ACTIVE: "k1",
      PSEUDONYM_KEY: "pseudonym-key",
    });
    const response = await gateway.fetch(
      new Request(`${BASE}/v1/conversation`, { headers: { authorization: `Bearer ${token}` } }),
      configured,
      createExecutionContext(),
    );
    expect(response.status).toBe(401);
  });

  it("answers 503 while any key is missing, even with a JWT secret", async () => {
    const token = await tokenFor("prod-user");
    const partial = production({ JWT_SECRET: "a-real-production-secret-of-32-bytes!!", SNAPSHOT_MAC_KEY: "mac-key" });
    const response = await gateway.fetch(
      new Request(`${BASE}/v1/conversation`, { headers: { authorization: `Bearer ${token}` } }),
      partial,
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect((await errorOf(response)).message).toContain("SLOT_KEYS");
  });

  it("answers 503 without PSEUDONYM_KEY: no user is logged under a pseudonym anyone could compute", async () => {
    const token = await tokenFor("prod-user");
    const unkeyed = production({
      JWT_SECRET: "a-real-production-secret-of-32-bytes!!",
      SNAPSHOT_MAC_KEY: "mac-key",
      SLOT_KEYS: JSON.stringify({ k1: btoa("k".repeat(32)) }),
      SLOT_KEY_ACTIVE: "k1",
    });
    const response = await gateway.fetch(
      new Request(`${BASE}/v1/conversation`, { headers: { authorization: `Bearer ${token}` } }),
      unkeyed,
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect((await errorOf(response)).message).toContain("PSEUDONYM_KEY");
  });

  it("still serves /healthz", async () => {
    const response = await gateway.fetch(new Request(`${BASE}/healthz`), production({}), createExecutionContext());
    expect(response.status).toBe(200);
  });
});
