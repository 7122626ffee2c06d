import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import type { VerifierConfig } from "../../../src/security/jwt.js";
import { MAX_TOKEN_LENGTH, TokenError, secretBytes, signToken, verifyToken } from "../../../src/security/jwt.js";
import { CLOCK_TOLERANCE_S } from "../../../src/security/token-time.js";

const secret = secretBytes("a-test-secret-that-is-long-enough-for-hs256");
const config: VerifierConfig = { key: { kind: "secret", secret } };
const NOW_S = 1_700_000_000;
const NOW = NOW_S * 1000;

/** An HS256 token for "a" with exactly the time claims given. */
function sign(times: { exp: number; nbf?: number; iat?: number }): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("a").setExpirationTime(times.exp);
  if (times.nbf !== undefined) jwt = jwt.setNotBefore(times.nbf);
  if (times.iat !== undefined) jwt = jwt.setIssuedAt(times.iat);
  return jwt.sign(secret);
}

describe("verifyToken", () => {
  it("returns the sub, scopes and expiry of a good token", async () => {
    const { token, expiresAt } = await signToken({ userId: "alice", scopes: ["chat", "admin"], ttlSeconds: 60, secret });
    const principal = await verifyToken(token, config, Date.now());
    expect(principal.userId).toBe("alice");
    expect([...principal.scopes].sort()).toEqual(["admin", "chat"]);
    expect(principal.expiresAt).toBe(expiresAt);
  });

  it("ignores unknown scopes", async () => {
    const token = await new SignJWT({ scope: "chat root" }).setProtectedHeader({ alg: "HS256" }).setSubject("a").setExpirationTime("1m").sign(secret);
    expect([...(await verifyToken(token, config, Date.now())).scopes]).toEqual(["chat"]);
  });

  it("applies the token time rule with the clock it is given: exp + 30 s", async () => {
    const token = await sign({ exp: NOW_S - 10 });
    const refusedFrom = (NOW_S - 10 + CLOCK_TOLERANCE_S) * 1000;
    await expect(verifyToken(token, config, NOW)).resolves.toMatchObject({ userId: "a", expiresAt: (NOW_S - 10) * 1000 });
    await expect(verifyToken(token, config, refusedFrom - 1)).resolves.toBeTruthy();
    await expect(verifyToken(token, config, refusedFrom)).rejects.toThrow("token expired");
  });

  it("refuses a token whose nbf is more than 30 s ahead", async () => {
    const token = await sign({ nbf: NOW_S + 600, exp: NOW_S + 1200 });
    await expect(verifyToken(token, config, NOW)).rejects.toThrow(/not valid yet/);
    await expect(verifyToken(token, config, (NOW_S + 600 - CLOCK_TOLERANCE_S) * 1000)).resolves.toBeTruthy();
  });

  it("refuses a token issued more than 30 s in the future, an hour included", async () => {
    await expect(verifyToken(await sign({ iat: NOW_S + 3600, exp: NOW_S + 7200 }), config, NOW)).rejects.toThrow("token was issued in the future");
    await expect(verifyToken(await sign({ iat: NOW_S + CLOCK_TOLERANCE_S + 1, exp: NOW_S + 7200 }), config, NOW)).rejects.toThrow(/iat/);
    await expect(verifyToken(await sign({ iat: NOW_S + CLOCK_TOLERANCE_S, exp: NOW_S + 7200 }), config, NOW)).resolves.toBeTruthy();
  });

  it("requires sub and exp", async () => {
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("a").sign(secret);
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setExpirationTime("1m").sign(secret);
    await expect(verifyToken(noExp, config, Date.now())).rejects.toBeInstanceOf(TokenError);
    await expect(verifyToken(noSub, config, Date.now())).rejects.toBeInstanceOf(TokenError);
  });

  it("refuses a sub that cannot name an actor", async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("a b\n").setExpirationTime("1m").sign(secret);
    await expect(verifyToken(token, config, Date.now())).rejects.toThrow("token has no usable sub");
  });

  it("refuses oversized tokens before parsing them", async () => {
    await expect(verifyToken("a".repeat(MAX_TOKEN_LENGTH + 1), config, Date.now())).rejects.toThrow("token too long");
  });

  it("checks iss and aud when configured", async () => {
    const { token } = await signToken({ userId: "a", scopes: [], ttlSeconds: 60, secret, issuer: "me", audience: "them" });
    await expect(verifyToken(token, { ...config, issuer: "me", audience: "them" }, Date.now())).resolves.toBeTruthy();
    await expect(verifyToken(token, { ...config, issuer: "someone-else" }, Date.now())).rejects.toThrow(/iss/);
    await expect(verifyToken(token, { ...config, audience: "others" }, Date.now())).rejects.toThrow(/aud/);
  });

  it("admits RS256 and ES256 from a JWKS, and never HS256 there", async () => {
    const rsa = await generateKeyPair("RS256");
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(rsa.publicKey)), alg: "RS256", kid: "r" }] });
    const jwksConfig: VerifierConfig = { key: { kind: "jwks", getKey: jwks } };
    const good = await new SignJWT({ scope: "chat" })
      .setProtectedHeader({ alg: "RS256", kid: "r" })
      .setSubject("idp-user")
      .setExpirationTime("1m")
      .sign(rsa.privateKey);
    expect((await verifyToken(good, jwksConfig, Date.now())).userId).toBe("idp-user");
    const hs = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("x").setExpirationTime("1m").sign(secret);
    await expect(verifyToken(hs, jwksConfig, Date.now())).rejects.toThrow("token algorithm not allowed");
  });
});
