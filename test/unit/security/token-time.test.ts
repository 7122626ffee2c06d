import { describe, expect, it } from "vitest";
import { CLOCK_TOLERANCE_S, isTokenExpired, tokenTimeProblem } from "../../../src/security/token-time.js";

const NOW_S = 1_700_000_000;
const NOW = NOW_S * 1000;
const T = CLOCK_TOLERANCE_S;
const inAnHour = NOW_S + 3600;

describe("tokenTimeProblem: one tolerance for exp, nbf and iat", () => {
  it("admits a token expired less than the tolerance ago, and refuses it from exp + tolerance on", () => {
    expect(tokenTimeProblem({ exp: NOW_S - 10 }, NOW)).toBeNull();
    expect(tokenTimeProblem({ exp: NOW_S - T }, NOW - 1)).toBeNull();
    expect(tokenTimeProblem({ exp: NOW_S - T }, NOW)).toBe("exp");
    expect(tokenTimeProblem({ exp: NOW_S - 31 }, NOW)).toBe("exp");
  });

  it("admits nbf up to the tolerance ahead, not further", () => {
    expect(tokenTimeProblem({ exp: inAnHour, nbf: NOW_S + T }, NOW)).toBeNull();
    expect(tokenTimeProblem({ exp: inAnHour, nbf: NOW_S + T + 1 }, NOW)).toBe("nbf");
    expect(tokenTimeProblem({ exp: inAnHour, nbf: NOW_S + T + 1 }, NOW + 1000)).toBeNull();
  });

  it("admits iat up to the tolerance ahead, and refuses a token issued an hour in the future", () => {
    expect(tokenTimeProblem({ exp: inAnHour, iat: NOW_S - 3600 }, NOW)).toBeNull();
    expect(tokenTimeProblem({ exp: inAnHour, iat: NOW_S + T }, NOW)).toBeNull();
    expect(tokenTimeProblem({ exp: inAnHour, iat: NOW_S + T + 1 }, NOW)).toBe("iat");
    expect(tokenTimeProblem({ exp: inAnHour + 3600, iat: inAnHour }, NOW)).toBe("iat");
  });

  it("reads the clock to the whole second, as jose does", () => {
    expect(tokenTimeProblem({ exp: NOW_S - T + 1 }, NOW + 999)).toBeNull();
    expect(tokenTimeProblem({ exp: NOW_S - T + 1 }, NOW + 1000)).toBe("exp");
  });
});

describe("isTokenExpired: what sockets and the verified-token cache ask", () => {
  it("flips at exactly the instant verification starts refusing the token", () => {
    const expiresAt = NOW;
    const refusedFrom = expiresAt + T * 1000;
    expect(isTokenExpired(expiresAt, expiresAt + 10_000)).toBe(false);
    expect(isTokenExpired(expiresAt, refusedFrom - 1)).toBe(false);
    expect(tokenTimeProblem({ exp: expiresAt / 1000 }, refusedFrom - 1)).toBeNull();
    expect(isTokenExpired(expiresAt, refusedFrom)).toBe(true);
    expect(tokenTimeProblem({ exp: expiresAt / 1000 }, refusedFrom)).toBe("exp");
  });
});
