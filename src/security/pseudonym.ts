import { hmacHex } from "./mac.js";

/** Hex digits kept: 64 bits, enough that two users of one deployment practically never share one. */
const PSEUDONYM_HEX_DIGITS = 16;

/**
 * A user's pseudonym in logs, metrics and trace `baggage`: HMAC-SHA256 of the user id under the
 * deployment's PSEUDONYM_KEY, cut to 16 hex digits. Keyed, so a reader who holds a list of user
 * ids cannot compute their pseudonyms and reverse the logs; stable, so one user's lines can
 * still be followed across isolates and releases while the key stays the same.
 *
 * @example await pseudonymOf(await importHmacKey(secret), "alice") // "3f0c…" (16 hex digits)
 */
export async function pseudonymOf(key: CryptoKey, userId: string): Promise<string> {
  return (await hmacHex(key, `parley.user:${userId}`)).slice(0, PSEUDONYM_HEX_DIGITS);
}
