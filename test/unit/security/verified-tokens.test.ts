import { describe, expect, it } from "vitest";
import type { Principal } from "../../../src/security/jwt.js";
import { CLOCK_TOLERANCE_S } from "../../../src/security/token-time.js";
import { VerifiedTokens } from "../../../src/security/verified-tokens.js";

const principal = (userId: string, expiresAt: number): Principal => ({ userId, scopes: new Set(["chat"]), expiresAt });

describe("VerifiedTokens", () => {
  it("answers a remembered token with its principal, and nothing for an unknown one", () => {
    const tokens = new VerifiedTokens();
    tokens.remember("t.alice", principal("alice", 60_000));
    expect(tokens.get("t.alice", 1_000)?.userId).toBe("alice");
    expect(tokens.get("t.bob", 1_000)).toBeUndefined();
  });

  it("forgets a token once it is past exp and the clock tolerance, exactly when verification would refuse it", () => {
    const tokens = new VerifiedTokens();
    tokens.remember("t", principal("alice", 60_000));
    const lastAccepted = 60_000 + CLOCK_TOLERANCE_S * 1000 - 1;
    expect(tokens.get("t", lastAccepted)?.userId).toBe("alice");
    expect(tokens.get("t", lastAccepted + 1)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it("stays bounded: the oldest token goes first", () => {
    const tokens = new VerifiedTokens(3);
    for (const name of ["a", "b", "c", "d"]) tokens.remember(name, principal(name, 60_000));
    expect(tokens.size).toBe(3);
    expect(tokens.get("a", 0)).toBeUndefined();
    expect(tokens.get("d", 0)?.userId).toBe("d");
  });
});
