import { DEV_PSEUDONYM_KEY } from "../src/security/dev-secrets.js";
import { importHmacKey } from "../src/security/mac.js";
import { pseudonymOf } from "../src/security/pseudonym.js";
import type { Env } from "./env.js";
import { isDevelopment } from "./env.js";

/** Pseudonyms remembered per isolate: every request logs one, and a hot user asks again and again. */
const RECENT_MAX = 1024;

let cached: { secret: string; key: Promise<CryptoKey>; recent: Map<string, Promise<string>> } | undefined;

/**
 * The user's pseudonym (src/security/pseudonym.ts) under PSEUDONYM_KEY: the development default
 * only when ENVIRONMENT is "development"; elsewhere the gateway refuses to serve until it is set.
 * The key is imported once per isolate and recent answers are kept in a bounded map.
 */
export function userPseudonym(env: Pick<Env, "ENVIRONMENT" | "PSEUDONYM_KEY">, userId: string): Promise<string> {
  const secret = env.PSEUDONYM_KEY || (isDevelopment(env) ? DEV_PSEUDONYM_KEY : "");
  if (!secret) return Promise.reject(new Error("PSEUDONYM_KEY is not set"));
  if (cached?.secret !== secret) cached = { secret, key: importHmacKey(secret), recent: new Map() };
  const { key, recent } = cached;
  let pseudonym = recent.get(userId);
  if (pseudonym === undefined) {
    pseudonym = key.then((imported) => pseudonymOf(imported, userId));
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(userId, pseudonym);
  }
  return pseudonym;
}
