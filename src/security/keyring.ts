/**
 * AES-256-GCM under a keyring. Every ciphertext names its key id, so the active key can
 * change without downtime: old ciphertexts still open, new ones use the new key.
 *
 * Format: `enc:v1:<keyId>:<iv, base64url>:<ciphertext+tag, base64url>`.
 *
 * @example
 * const keyring = await parseKeyring('{"k1":"<32 bytes, base64>"}', "k1");
 * const sealed = await sealText(keyring, "13800138000", "alice");
 * await openText(keyring, sealed, "alice"); // "13800138000"
 */
export interface Keyring {
  activeId: string;
  keys: ReadonlyMap<string, CryptoKey>;
}

export class KeyringError extends Error {
  override readonly name = "KeyringError";
}

const PREFIX = "enc:v1:";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `keysJson`: `{ "<key id>": "<32 random bytes, base64>" }`; `activeId` must be one of them. */
export async function parseKeyring(keysJson: string, activeId: string): Promise<Keyring> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(keysJson);
  } catch {
    throw new KeyringError("SLOT_KEYS is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new KeyringError("SLOT_KEYS must be an object of key id → base64 key");
  const keys = new Map<string, CryptoKey>();
  for (const [id, encoded] of Object.entries(parsed)) {
    if (!KEY_ID.test(id)) throw new KeyringError(`SLOT_KEYS: bad key id "${id}"`);
    const raw = typeof encoded === "string" ? fromBase64(encoded) : null;
    if (raw?.length !== 32) throw new KeyringError(`SLOT_KEYS: key "${id}" must be 32 bytes, base64`);
    keys.set(id, await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
  }
  if (!keys.has(activeId)) throw new KeyringError(`SLOT_KEY_ACTIVE "${activeId}" is not in SLOT_KEYS`);
  return { activeId, keys };
}

export function isSealed(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(PREFIX);
}

/** The key id a ciphertext was sealed under. */
export function keyIdOf(sealed: string): string | null {
  return isSealed(sealed) ? (sealed.slice(PREFIX.length).split(":")[0] ?? null) : null;
}

/** Seals under the active key; `context` (the user id) is bound in, so a ciphertext can't be moved to another user. */
export async function sealText(keyring: Keyring, plaintext: string, context: string): Promise<string> {
  const key = keyring.keys.get(keyring.activeId);
  if (!key) throw new KeyringError("no active key");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(context) }, key, encoder.encode(plaintext));
  return `${PREFIX}${keyring.activeId}:${toBase64(iv)}:${toBase64(new Uint8Array(data))}`;
}

export async function openText(keyring: Keyring, sealed: string, context: string): Promise<string> {
  const [id, iv, data] = sealed.slice(PREFIX.length).split(":");
  const key = id === undefined ? undefined : keyring.keys.get(id);
  if (!isSealed(sealed) || !key || !iv || !data) throw new KeyringError(`cannot open a value sealed under key "${id ?? "?"}"`);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(iv) ?? new Uint8Array(), additionalData: encoder.encode(context) },
      key,
      fromBase64(data) ?? new Uint8Array(),
    );
    return decoder.decode(plain);
  } catch {
    throw new KeyringError("ciphertext does not verify");
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

function fromBase64(text: string): Uint8Array | null {
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}
