import { DEV_SLOT_KEYS, DEV_SLOT_KEY_ACTIVE } from "../src/security/dev-secrets.js";
import type { Keyring } from "../src/security/keyring.js";
import { parseKeyring } from "../src/security/keyring.js";
import type { Env } from "./env.js";
import { isDevelopment } from "./env.js";

let cached: { source: string; keyring: Promise<Keyring> } | undefined;

/** The keyring sealing sensitive slots: SLOT_KEYS + SLOT_KEY_ACTIVE, the development ring only in development. */
export function slotKeyring(env: Pick<Env, "ENVIRONMENT" | "SLOT_KEYS" | "SLOT_KEY_ACTIVE">): Promise<Keyring> {
  const keys = env.SLOT_KEYS || (isDevelopment(env) ? DEV_SLOT_KEYS : "");
  const active = env.SLOT_KEY_ACTIVE || (isDevelopment(env) && !env.SLOT_KEYS ? DEV_SLOT_KEY_ACTIVE : "");
  if (!keys || !active) return Promise.reject(new Error("SLOT_KEYS and SLOT_KEY_ACTIVE are not set"));
  const source = `${active}\n${keys}`;
  if (cached?.source !== source) cached = { source, keyring: parseKeyring(keys, active) };
  return cached.keyring;
}
