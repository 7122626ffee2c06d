import { describe, expect, it } from "vitest";
import { secretBytes, signToken, verifyToken } from "../../../src/security/jwt.js";
import { parseScopes } from "../../../src/security/scopes.js";

const secret = secretBytes("a-test-secret-of-enough-length-0123456789");
const key = { key: { kind: "secret" as const, secret } };

describe("an agent's identity in its token", () => {
  it("the agent scope is a scope like the others", () => {
    expect([...parseScopes("chat agent bogus")]).toEqual(["chat", "agent"]);
  });

  it("the display name is the `name` claim, trimmed, without control characters, at most 64 characters", async () => {
    const now = Date.now();
    const named = await signToken({ userId: "anna", scopes: ["agent"], ttlSeconds: 60, secret, name: "  Anna\u0007 K. ", now });
    expect(await verifyToken(named.token, key, now)).toMatchObject({ userId: "anna", name: "Anna K." });
    const long = await signToken({ userId: "anna", scopes: ["agent"], ttlSeconds: 60, secret, name: "张".repeat(80), now });
    expect((await verifyToken(long.token, key, now)).name).toHaveLength(64);
  });

  it("without a usable name claim there is no name (the sub stands in)", async () => {
    const now = Date.now();
    const bare = await signToken({ userId: "bob", scopes: ["agent"], ttlSeconds: 60, secret, now });
    expect((await verifyToken(bare.token, key, now)).name).toBeUndefined();
    const blank = await signToken({ userId: "bob", scopes: ["agent"], ttlSeconds: 60, secret, name: " \u0000 ", now });
    expect((await verifyToken(blank.token, key, now)).name).toBeUndefined();
  });
});
