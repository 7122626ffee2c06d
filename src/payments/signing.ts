import { hmacHex, importHmacKey, verifyHmacHex } from "../security/mac.js";

/**
 * Signatures of payment requests, answers and callbacks, both directions, one shared secret:
 *
 *   x-parley-timestamp: <unix seconds>
 *   x-parley-signature: v1=<hex of HMAC-SHA256(secret, `${timestamp}.${body}`)>
 *
 * The timestamp is inside the MAC, so a captured message cannot be replayed once it is older
 * than the tolerance; replays within the tolerance are the receiver's to dedupe (by event id
 * or idempotency key).
 */
export const TIMESTAMP_HEADER = "x-parley-timestamp";
export const SIGNATURE_HEADER = "x-parley-signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; code: "bad_signature" | "stale"; message: string };

/** CryptoKeys per secret: an import per message would cost more than the MAC itself. */
const keys = new Map<string, Promise<CryptoKey>>();
/** A deployment has one or two secrets (rotation); tests have many. */
const KEYS_KEPT = 8;

function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= KEYS_KEPT) keys.clear();
    key = importHmacKey(secret);
    keys.set(secret, key);
  }
  return key;
}

/**
 * The two headers that sign `body` at `nowSeconds`.
 *
 * @example
 * const headers = await signatureHeaders(secret, body, Math.floor(Date.now() / 1000));
 * await fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
 */
export async function signatureHeaders(secret: string, body: string, nowSeconds: number): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(nowSeconds));
  const mac = await hmacHex(await keyOf(secret), `${timestamp}.${body}`);
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1=${mac}` };
}

/**
 * Whether `body` was signed with `secret` (constant-time compare), and recently: a valid
 * signature whose timestamp is more than `toleranceSeconds` away from `nowSeconds` (either
 * way) is `stale`. A missing or malformed header is a `bad_signature`.
 */
export async function verifySignature(
  secret: string,
  headers: Headers,
  body: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): Promise<SignatureCheck> {
  const timestamp = headers.get(TIMESTAMP_HEADER) ?? "";
  const signature = /^v1=([0-9a-f]{64})$/.exec(headers.get(SIGNATURE_HEADER) ?? "")?.[1];
  if (!/^\d{1,12}$/.test(timestamp) || !signature) {
    return { ok: false, code: "bad_signature", message: `${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER}: v1=<hex> are required` };
  }
  if (!(await verifyHmacHex(await keyOf(secret), `${timestamp}.${body}`, signature))) {
    return { ok: false, code: "bad_signature", message: "the signature does not match the body" };
  }
  const skew = Math.abs(nowSeconds - Number(timestamp));
  if (skew > toleranceSeconds) {
    return { ok: false, code: "stale", message: `the timestamp is ${Math.round(skew)} s away from now (tolerance ${toleranceSeconds} s)` };
  }
  return { ok: true };
}
