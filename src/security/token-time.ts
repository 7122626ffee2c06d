/**
 * The one rule for a token's times, on every path: REST, the WebSocket handshake, the
 * verified-token cache and the frames of an open socket. The clock is a parameter, so the
 * rule is tested at its boundaries without waiting.
 *
 * With `now` read to the whole second (NumericDates are seconds) and T the tolerance:
 * - `exp` (required): refused from `exp + T` on;
 * - `nbf`: refused while `nbf > now + T`;
 * - `iat`: refused while `iat > now + T` — a token "issued" further ahead than the skew we
 *   forgive comes from a broken clock or a forger, not from a real issuer.
 * jose applies the same comparison to `exp` and `nbf` when given the same clock and tolerance.
 */

/** Seconds of clock skew forgiven between a token's issuer and us, the same on `exp`, `nbf` and `iat`. */
export const CLOCK_TOLERANCE_S = 30;

/** A token's NumericDate claims, in seconds since the epoch (RFC 7519 §2). */
export interface TokenTimes {
  exp: number;
  nbf?: number | undefined;
  iat?: number | undefined;
}

export type TimeClaim = keyof TokenTimes;

/** What a client is told when a time claim refuses its token. */
export const TIME_CLAIM_MESSAGES: Readonly<Record<TimeClaim, string>> = {
  exp: "token expired",
  nbf: 'token is not valid yet ("nbf" is in the future)',
  iat: 'token was issued in the future ("iat")',
};

/**
 * The claim that refuses a token at `now` (epoch ms), or `null` when its times admit it.
 *
 * @example
 * tokenTimeProblem({ exp: 1_700_000_000 }, 1_700_000_010_000); // null: 10 s late is within the tolerance
 * tokenTimeProblem({ exp: 1_700_003_600, iat: 1_700_003_600 }, 1_700_000_000_000); // "iat"
 */
export function tokenTimeProblem(times: TokenTimes, now: number): TimeClaim | null {
  const seconds = Math.floor(now / 1000);
  if (times.exp <= seconds - CLOCK_TOLERANCE_S) return "exp";
  if (times.nbf !== undefined && times.nbf > seconds + CLOCK_TOLERANCE_S) return "nbf";
  if (times.iat !== undefined && times.iat > seconds + CLOCK_TOLERANCE_S) return "iat";
  return null;
}

/**
 * Whether a token that verified once is refused at `now` because it has expired since:
 * `nbf` and `iat` only get easier to pass as time goes on, so `exp` is all that is left to ask.
 * `expiresAt` is the token's `exp` in epoch ms, as `Principal.expiresAt` carries it.
 */
export function isTokenExpired(expiresAt: number, now: number): boolean {
  return tokenTimeProblem({ exp: expiresAt / 1000 }, now) === "exp";
}
