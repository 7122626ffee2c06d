import { createRemoteJWKSet } from "jose";
import type { Env } from "../../platform/env.js";
import { isDevelopment } from "../../platform/env.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import type { VerificationKey, VerifierConfig } from "../../src/security/jwt.js";
import { secretBytes } from "../../src/security/jwt.js";
import { VerifiedTokens } from "../../src/security/verified-tokens.js";

export interface AuthConfig {
  /** HS256: development tokens and guest identities. */
  secret?: VerifierConfig;
  /** RS256/ES256 from an identity provider. */
  jwks?: VerifierConfig;
  /** Signs guest tokens; absent when only a JWKS is configured. */
  signingSecret?: Uint8Array;
  /** Tokens these keys already verified (a new configuration starts with none). */
  verified: VerifiedTokens;
}

let cached: { signature: string; config: AuthConfig | null } | undefined;

/**
 * The keys the gateway trusts, from the environment. `null` outside development when no
 * key is configured: there is no default production secret, so /v1/* answers 503.
 */
export function authConfig(env: Env): AuthConfig | null {
  const signature = [
    env.ENVIRONMENT,
    env.JWT_SECRET,
    env.JWT_JWKS_URL,
    env.JWT_ISSUER,
    env.JWT_AUDIENCE,
    env.SNAPSHOT_MAC_KEY,
    env.SLOT_KEYS,
    env.SLOT_KEY_ACTIVE,
    env.PSEUDONYM_KEY,
  ].join("\n");
  if (cached?.signature !== signature) cached = { signature, config: buildConfig(env) };
  return cached.config;
}

function buildConfig(env: Env): AuthConfig | null {
  const development = isDevelopment(env);
  // Outside development every key must be configured: there is no default production secret.
  if (!development && (!env.SNAPSHOT_MAC_KEY || !env.SLOT_KEYS || !env.SLOT_KEY_ACTIVE || !env.PSEUDONYM_KEY)) return null;
  const claims = {
    ...(env.JWT_ISSUER ? { issuer: env.JWT_ISSUER } : {}),
    ...(env.JWT_AUDIENCE ? { audience: env.JWT_AUDIENCE } : {}),
  };
  const secretText = env.JWT_SECRET || (development ? DEV_JWT_SECRET : "");
  const config: AuthConfig = { verified: new VerifiedTokens() };
  if (secretText) {
    const secret = secretBytes(secretText);
    config.secret = { key: { kind: "secret", secret }, ...claims };
    config.signingSecret = secret;
  }
  if (env.JWT_JWKS_URL) {
    const key: VerificationKey = { kind: "jwks", getKey: createRemoteJWKSet(new URL(env.JWT_JWKS_URL)) };
    config.jwks = { key, ...claims };
  }
  return config.secret || config.jwks ? config : null;
}

/** The verifier for a token's `alg`: HS256 → the secret, RS256/ES256 → the JWKS; anything else none. */
export function verifierFor(config: AuthConfig, alg: unknown): VerifierConfig | undefined {
  if (alg === "HS256") return config.secret;
  if (alg === "RS256" || alg === "ES256") return config.jwks;
  return undefined;
}
