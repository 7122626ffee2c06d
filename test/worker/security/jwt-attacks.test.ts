import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../platform/env.js";
import { DEV_JWT_SECRET } from "../../../src/security/dev-secrets.js";
import { secretBytes } from "../../../src/security/jwt.js";
import { gateway } from "../../../workers/gateway/app.js";
import { BASE, call, errorOf, say, tokenFor } from "../helpers.js";

const devSecret = secretBytes(DEV_JWT_SECRET);
const base64url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
const now = () => Math.floor(Date.now() / 1000);
const seqOf = async (userId: string) => ((await (await call("/v1/conversation", { token: await tokenFor(userId) })).json()) as { seq: number }).seq;

/** Each attack is a token; every one must be refused with 401 and leave the victim's conversation untouched. */
const attacks: [string, () => Promise<string>][] = [
  ["alg none", async () => `${base64url('{"alg":"none","typ":"JWT"}')}.${base64url(JSON.stringify({ sub: "victim", exp: now() + 600, scope: "chat" }))}.`],
  ["alg None (case games)", async () => `${base64url('{"alg":"None"}')}.${base64url(JSON.stringify({ sub: "victim", exp: now() + 600, scope: "chat" }))}.`],
  [
    "expired",
    () =>
      new SignJWT({ scope: "chat" })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("victim")
        .setExpirationTime(now() - 300)
        .sign(devSecret),
  ],
  [
    "not yet valid",
    () =>
      new SignJWT({ scope: "chat" })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("victim")
        .setNotBefore(now() + 600)
        .setExpirationTime(now() + 1200)
        .sign(devSecret),
  ],
  [
    "issued an hour in the future",
    () =>
      new SignJWT({ scope: "chat" })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("victim")
        .setIssuedAt(now() + 3600)
        .setExpirationTime(now() + 7200)
        .sign(devSecret),
  ],
  [
    "missing sub",
    () =>
      new SignJWT({ scope: "chat" })
        .setProtectedHeader({ alg: "HS256" })
        .setExpirationTime(now() + 600)
        .sign(devSecret),
  ],
  ["missing exp", () => new SignJWT({ scope: "chat" }).setProtectedHeader({ alg: "HS256" }).setSubject("victim").sign(devSecret)],
  ["signature stripped", async () => `${(await tokenFor("victim")).split(".").slice(0, 2).join(".")}.`],
  [
    "payload swapped under the old signature",
    async () => {
      const [header, , signature] = (await tokenFor("attacker")).split(".");
      return `${header}.${base64url(JSON.stringify({ sub: "victim", exp: now() + 600, scope: "chat" }))}.${signature}`;
    },
  ],
  ["a 100 KB token", async () => `${(await tokenFor("victim")).split(".")[0]}.${"A".repeat(100_000)}.sig`],
  [
    "HS384",
    () =>
      new SignJWT({ scope: "chat" })
        .setProtectedHeader({ alg: "HS384" })
        .setSubject("victim")
        .setExpirationTime(now() + 600)
        .sign(secretBytes(DEV_JWT_SECRET.repeat(2))),
  ],
];

describe("JWT attack suite", () => {
  for (const [name, forge] of attacks) {
    it(`refuses ${name}`, async () => {
      const response = await say(await forge(), "hello", "attack");
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await errorOf(response)).code).toBe("unauthorized");
      expect(await seqOf("victim")).toBe(0);
    });
  }

  it("refuses HS256 signed with the RS256 public key of a JWKS setup (algorithm confusion)", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const keys = [{ ...(await exportJWK(publicKey)), kid: "rsa", alg: "RS256" }];
    const withJwks = { ...env, JWT_SECRET: "", JWT_JWKS_URL: `data:application/json,${encodeURIComponent(JSON.stringify({ keys }))}` } as Env;
    const pem = await exportSPKI(publicKey);
    const confused = await new SignJWT({ scope: "chat" })
      .setProtectedHeader({ alg: "HS256", kid: "rsa" })
      .setSubject("victim")
      .setExpirationTime("1h")
      .sign(secretBytes(pem));
    const send = (token: string) =>
      gateway.fetch(new Request(`${BASE}/v1/conversation`, { headers: { authorization: `Bearer ${token}` } }), withJwks, createExecutionContext());
    expect((await send(confused)).status).toBe(401);
    const honest = await new SignJWT({ scope: "chat" })
      .setProtectedHeader({ alg: "RS256", kid: "rsa" })
      .setSubject("rs-user")
      .setExpirationTime("1h")
      .sign(privateKey);
    expect((await send(honest)).status).toBe(200);
  });

  it("does not let a chat token escalate to admin, whatever its scope claim looks like", async () => {
    const claims = [{ scope: "chat" }, { scope: ["admin"] }, { scope: "chat,admin" }, { scp: "admin" }, { scope: "ADMIN" }];
    for (const claim of claims) {
      const token = await new SignJWT(claim).setProtectedHeader({ alg: "HS256" }).setSubject("escalator").setExpirationTime("1h").sign(devSecret);
      const response = await call("/v1/admin/bots/shop", { token });
      expect(response.status, JSON.stringify(claim)).toBe(403);
      expect((await errorOf(response)).code).toBe("forbidden");
    }
  });

  it("never takes the user from a header, path or query", async () => {
    const token = await tokenFor("mallory");
    const headers = { "x-user-id": "victim", "x-forwarded-user": "victim" };
    const response = await call("/v1/conversation?userId=victim&sub=victim", { token, headers });
    expect(((await response.json()) as { userId: string }).userId).toBe("mallory");
    expect((await call("/v1/conversation/victim", { token })).status).toBe(404);
    expect((await call("/v1/admin/conversations/victim", { token })).status).toBe(403);
  });
});
