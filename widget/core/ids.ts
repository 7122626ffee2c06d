/** A fresh idempotency key: 1..64 characters of [A-Za-z0-9_-], as the contract asks. */
export function newClientMessageId(): string {
  // randomUUID needs a secure context; an http:// host page still has getRandomValues.
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
