import type { SpeechSettings } from "../src/speech/config.js";
import type { VoiceMessage } from "../src/speech/messages.js";

/**
 * The Worker's bindings, vars and secrets. What wrangler.toml declares comes from
 * `wrangler types` (worker-configuration.d.ts beside this file: `npm run types` regenerates it,
 * `npm test` fails while it is stale); what the configuration cannot show — secrets, optional
 * vars, bindings that are off by default, the queues' message type — is declared here. The
 * SPEECH_* settings are declared once, where they are read: src/speech/config.ts.
 */
export interface Env extends Omit<Cloudflare.Env, "VOICE_ASR" | "VOICE_TTS">, SpeechSettings {
  /** "development" under `npm run dev` and in tests; anything else is production. */
  ENVIRONMENT: string;
  JWT_SECRET?: string;
  JWT_JWKS_URL?: string;
  /** HMAC key of users' pseudonyms in logs, metrics and traces. */
  PSEUDONYM_KEY?: string;
  /** HMAC key sealing snapshots. */
  SNAPSHOT_MAC_KEY?: string;
  /** JSON `{ "<key id>": "<32 bytes base64>" }`: AES-256-GCM keys sealing sensitive slots. */
  SLOT_KEYS?: string;
  /** The key id new ciphertexts use; older ids in SLOT_KEYS still open. */
  SLOT_KEY_ACTIVE?: string;
  /** Events older than this many days are pruned once a snapshot covers them (default: kept). */
  RETENTION_DAYS?: string;
  /** Signs webhook bodies (`x-parley-signature: sha256=<hex>`). */
  WEBHOOK_SECRET?: string;
  /** The bot users talk to (default "shop"). */
  BOT_ID?: string;
  /** debug | info | warn | error: the lowest level of log line written (default info). */
  LOG_LEVEL?: string;
  /** Per-user turn budget: burst size and sustained turns per second (defaults 30 and 2). */
  RATE_LIMIT_USER_BURST?: string;
  RATE_LIMIT_USER_PER_SECOND?: string;
  /** How long an isolate trusts its copy of a rollout (ms, default 2000). */
  ROLLOUT_TTL_MS?: string;
  /** Retry backoff of the speech queues: first delay and cap, seconds (defaults 2 and 120). */
  VOICE_RETRY_BASE_SECONDS?: string;
  VOICE_RETRY_MAX_SECONDS?: string;
  /** How long a voice job may make no progress before it fails and the user is told (default 900). */
  VOICE_JOB_TIMEOUT_SECONDS?: string;
  VOICE_ASR: Queue<VoiceMessage>;
  VOICE_TTS: Queue<VoiceMessage>;
  /** Workers AI: for SPEECH_PROVIDER "workers-ai" and the "workers-ai" language model (the binding is remote, so it is not in wrangler.toml by default). */
  AI?: Ai;
  /** The OpenAI-compatible language model server's base URL, with or without /v1 (platform/llm.ts). */
  LLM_BASE_URL?: string;
  /** Its bearer key (a secret). */
  LLM_API_KEY?: string;
  /** How many metrics aggregator shards (default 8, at most 64); only raise it. */
  METRICS_SHARDS?: string;
  /** How often an isolate flushes its counts, ms (default 5000). */
  METRICS_FLUSH_MS?: string;
  /** Workers Analytics Engine: one data point per request and per turn, when bound. */
  ANALYTICS?: AnalyticsEngineDataset;
  /** Cash prizes (docs/campaigns.md → Payment settings): "http" or "fake"; unset, "http" when PAYMENT_BASE_URL is set, else "fake" in development. */
  PAYMENT_PROVIDER?: string;
  /** The provider's base URL (no trailing /v1). */
  PAYMENT_BASE_URL?: string;
  /** Signs requests to the provider and checks its callbacks (a secret). */
  PAYMENT_SECRET?: string;
  /** One provider request, answer included, ms (default 10000); past it the outcome is unknown. */
  PAYMENT_TIMEOUT_MS?: string;
  /** Our POST /v1/payments/callback as the provider reaches it; unset, pending payments are polled. */
  PAYMENT_CALLBACK_URL?: string;
}

export function isDevelopment(env: Pick<Env, "ENVIRONMENT">): boolean {
  return env.ENVIRONMENT === "development";
}
