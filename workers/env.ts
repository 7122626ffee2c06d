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
