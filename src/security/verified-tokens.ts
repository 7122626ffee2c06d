import type { Principal } from "./jwt.js";
import { isTokenExpired } from "./token-time.js";

/** Tokens remembered per isolate: a chat client sends the same token turn after turn. */
export const VERIFIED_TOKENS_MAX = 2048;

/**
 * Tokens that already passed verification, with whom they speak for, until they expire.
 * A token is immutable and its signature covers every claim, so the same string verifies the
 * same way until it expires (token-time.ts: `exp` plus the clock tolerance): a hit skips parsing,
 * key import and the HMAC/RSA check. Only successes are kept; the oldest entry goes first
 * when full. One cache per set of trusted keys: a changed key configuration starts empty.
 *
 * @example
 * const now = Date.now();
 * const principal = tokens.get(token, now) ?? tokens.remember(token, await verifyToken(token, config, now));
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Principal>();

  constructor(private readonly max = VERIFIED_TOKENS_MAX) {}

  /** The principal of a remembered token that has not expired at `now` (epoch ms). */
  get(token: string, now: number): Principal | undefined {
    const principal = this.entries.get(token);
    if (principal === undefined) return undefined;
    if (!isTokenExpired(principal.expiresAt, now)) return principal;
    this.entries.delete(token);
    return undefined;
  }

  remember(token: string, principal: Principal): Principal {
    if (this.entries.size >= this.max && !this.entries.has(token)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, principal);
    return principal;
  }

  get size(): number {
    return this.entries.size;
  }
}
