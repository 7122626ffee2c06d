import { DEV_SNAPSHOT_MAC_KEY } from "../src/security/dev-secrets.js";
import { importHmacKey } from "../src/security/mac.js";
import type { Env } from "./env.js";
import { isDevelopment } from "./env.js";

let cached: { secret: string; key: Promise<CryptoKey> } | undefined;

/** The key sealing snapshots; the development default only when ENVIRONMENT is "development". */
export function snapshotKey(env: Env): Promise<CryptoKey> {
  const secret = env.SNAPSHOT_MAC_KEY || (isDevelopment(env) ? DEV_SNAPSHOT_MAC_KEY : "");
  if (!secret) return Promise.reject(new Error("SNAPSHOT_MAC_KEY is not set"));
  if (cached?.secret !== secret) cached = { secret, key: importHmacKey(secret) };
  return cached.key;
}
