import { CLOCK_TOLERANCE_S } from "./jwt.js";
import type { Principal } from "./jwt.js";

/** Tokens remembered per isolate: a chat client sends the same token turn after turn. */
export const VERIFIED_TOKENS_MAX = 2048;

/**
 * Tokens that already passed verification, with whom they speak for, until they expire.
 * A token is immutable and its signature covers every claim, so the same string verifies the
 * same way until `exp` (plus the clock tolerance verification allows): a hit skips parsing,
 * key import and the HMAC/RSA check. Only successes are kept; the oldest entry goes first
 * when full. One cache per set of trusted keys: a changed key configuration starts empty.
 *
 * @example
 * const principal = tokens.get(token, Date.now()) ?? tokens.remember(token, await verifyToken(token, config));
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Principal>();

  constructor(private readonly max = VERIFIED_TOKENS_MAX) {}

  get(token: string, now: number): Principal | undefined {
    const principal = this.entries.get(token);
    if (principal === undefined) return undefined;
    if (now < principal.expiresAt + CLOCK_TOLERANCE_S * 1000) return principal;
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
