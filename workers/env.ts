import type { BotRegistry } from "../durable-objects/registry.js";
import type { ConversationActor } from "../durable-objects/conversation.js";

/** Bindings, vars and secrets of the Worker (wrangler.toml and `wrangler secret put`). */
export interface Env {
  /** "development" under `npm run dev` and in tests; anything else is production. */
  ENVIRONMENT: string;
  JWT_SECRET?: string;
  JWT_JWKS_URL?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  /** HMAC key sealing snapshots. */
  SNAPSHOT_MAC_KEY?: string;
  /** JSON `{ "<key id>": "<32 bytes base64>" }`: AES-256-GCM keys sealing sensitive slots. */
  SLOT_KEYS?: string;
  /** The key id new ciphertexts use; older ids in SLOT_KEYS still open. */
  SLOT_KEY_ACTIVE?: string;
  /** Events older than this many days are pruned once a snapshot covers them (default: kept). */
  RETENTION_DAYS?: string;
  ALLOWED_ORIGINS?: string;
  /** Signs webhook bodies (`x-parley-signature: sha256=<hex>`). */
  WEBHOOK_SECRET?: string;
  /** The bot users talk to (default "shop"). */
  BOT_ID?: string;
  /** Per-user turn budget: burst size and sustained turns per second (defaults 30 and 2). */
  RATE_LIMIT_USER_BURST?: string;
  RATE_LIMIT_USER_PER_SECOND?: string;
  /** How long an isolate trusts its copy of a rollout (ms, default 2000). */
  ROLLOUT_TTL_MS?: string;
  /** Per-IP limit on unauthenticated routes (Workers Rate Limiting). */
  GUEST_LIMITER: RateLimit;
  CONVERSATION: DurableObjectNamespace<ConversationActor>;
  REGISTRY: DurableObjectNamespace<BotRegistry>;
  ASSETS: Fetcher;
}

export function isDevelopment(env: Pick<Env, "ENVIRONMENT">): boolean {
  return env.ENVIRONMENT === "development";
}
