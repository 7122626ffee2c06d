/**
 * The names one cash win goes by outside its shard: the payout saga's Workflow instance id and
 * the payment provider's idempotency key. Both are pure functions of the draw id, so every retry
 * of a start, of a payment or of a callback names the same instance and the same payment.
 */

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The payout saga's instance id of a win: "payout-" and the SHA-256 of the draw id, base64url
 * (50 characters of [A-Za-z0-9_-], within Workflows' 64). A draw id is longer than that and holds
 * colons, so it is hashed rather than used as it is.
 *
 * @example
 * await payoutInstanceId("spring:3f0c9a1b2c3d4e5f:1") // "payout-…" (50 characters)
 */
export async function payoutInstanceId(drawId: string): Promise<string> {
  return `payout-${base64url(await sha256(drawId))}`;
}

/**
 * The idempotency key the provider pays a win under: "parley-payout:" and the draw id when it is
 * made of the provider's key characters (a draw id of a campaign id and a pseudonym always is),
 * else "parley-payout-sha256:" and its hash. Readable in the provider's records; the two forms
 * never collide (they differ at the 14th character, ":" against "-").
 *
 * @example
 * await payoutIdempotencyKey("spring:3f0c9a1b2c3d4e5f:1") // "parley-payout:spring:3f0c9a1b2c3d4e5f:1"
 */
export async function payoutIdempotencyKey(drawId: string): Promise<string> {
  const readable = `parley-payout:${drawId}`;
  if (readable.length <= 200 && /^[A-Za-z0-9_:.-]+$/.test(readable)) return readable;
  return `parley-payout-sha256:${base64url(await sha256(drawId))}`;
}
