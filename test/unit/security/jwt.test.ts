import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { MAX_TOKEN_LENGTH, TokenError, secretBytes, signToken, verifyToken } from "../../../src/security/jwt.js";
import type { VerifierConfig } from "../../../src/security/jwt.js";

const secret = secretBytes("a-test-secret-that-is-long-enough-for-hs256");
const config: VerifierConfig = { key: { kind: "secret", secret } };

describe("verifyToken", () => {
  it("returns the sub, scopes and expiry of a good token", async () => {
    const { token, expiresAt } = await signToken({ userId: "alice", scopes: ["chat", "admin"], ttlSeconds: 60, secret });
    const principal = await verifyToken(token, config);
    expect(principal.userId).toBe("alice");
    expect([...principal.scopes].sort()).toEqual(["admin", "chat"]);
    expect(principal.expiresAt).toBe(expiresAt);
  });

  it("ignores unknown scopes", async () => {
    const token = await new SignJWT({ scope: "chat root" }).setProtectedHeader({ alg: "HS256" }).setSubject("a").setExpirationTime("1m").sign(secret);
    expect([...(await verifyToken(token, config)).scopes]).toEqual(["chat"]);
  });

  it("tolerates 30 s of clock skew on exp, not more", async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (exp: number) => new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("a").setExpirationTime(exp).sign(secret);
    await expect(verifyToken(await sign(now - 10), config)).resolves.toBeTruthy();
    await expect(verifyToken(await sign(now - 120), config)).rejects.toThrow("token expired");
  });

  it("refuses a token that is not yet valid", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("a").setNotBefore(now + 600).setExpirationTime(now + 1200).sign(secret);
    await expect(verifyToken(token, config)).rejects.toThrow(/nbf/);
  });

  it("requires sub and exp", async () => {
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("a").sign(secret);
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setExpirationTime("1m").sign(secret);
    await expect(verifyToken(noExp, config)).rejects.toBeInstanceOf(TokenError);
    await expect(verifyToken(noSub, config)).rejects.toBeInstanceOf(TokenError);
  });

  it("refuses a sub that cannot name an actor", async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("a b\n").setExpirationTime("1m").sign(secret);
    await expect(verifyToken(token, config)).rejects.toThrow("token has no usable sub");
  });

  it("refuses oversized tokens before parsing them", async () => {
    await expect(verifyToken("a".repeat(MAX_TOKEN_LENGTH + 1), config)).rejects.toThrow("token too long");
  });

  it("checks iss and aud when configured", async () => {
    const { token } = await signToken({ userId: "a", scopes: [], ttlSeconds: 60, secret, issuer: "me", audience: "them" });
    await expect(verifyToken(token, { ...config, issuer: "me", audience: "them" })).resolves.toBeTruthy();
    await expect(verifyToken(token, { ...config, issuer: "someone-else" })).rejects.toThrow(/iss/);
    await expect(verifyToken(token, { ...config, audience: "others" })).rejects.toThrow(/aud/);
  });

  it("admits RS256 and ES256 from a JWKS, and never HS256 there", async () => {
    const rsa = await generateKeyPair("RS256");
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(rsa.publicKey)), alg: "RS256", kid: "r" }] });
    const jwksConfig: VerifierConfig = { key: { kind: "jwks", getKey: jwks } };
    const good = await new SignJWT({ scope: "chat" }).setProtectedHeader({ alg: "RS256", kid: "r" }).setSubject("idp-user").setExpirationTime("1m").sign(rsa.privateKey);
    expect((await verifyToken(good, jwksConfig)).userId).toBe("idp-user");
    const hs = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("x").setExpirationTime("1m").sign(secret);
    await expect(verifyToken(hs, jwksConfig)).rejects.toThrow("token algorithm not allowed");
  });
});
