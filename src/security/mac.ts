/** HMAC-SHA256 with WebCrypto (the same API in workerd and Node). */

const encoder = new TextEncoder();

export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

export async function hmacHex(key: CryptoKey, data: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(data));
  return toHex(new Uint8Array(signature));
}

/** Constant-time check: `crypto.subtle.verify` does not leak where the MACs differ. */
export async function verifyHmacHex(key: CryptoKey, data: string, macHex: string): Promise<boolean> {
  const mac = fromHex(macHex);
  if (!mac) return false;
  return crypto.subtle.verify("HMAC", key, mac, encoder.encode(data));
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** Lowercase hex of bytes (MACs, trace ids): a table lookup per byte, on every request's path. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += HEX[byte];
  return out;
}

function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
