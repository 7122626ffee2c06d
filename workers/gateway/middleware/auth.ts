import type { MiddlewareHandler } from "hono";
import { decodeProtectedHeader } from "jose";
import type { Env } from "../../../platform/env.js";
import { ApiError } from "../../../src/protocol/errors.js";
import type { Principal } from "../../../src/security/jwt.js";
import { TokenError, verifyToken } from "../../../src/security/jwt.js";
import type { Scope } from "../../../src/security/scopes.js";
import type { GatewayEnv } from "../context.js";
import type { AuthConfig } from "../keys.js";
import { authConfig, verifierFor } from "../keys.js";

const CHALLENGE = { "www-authenticate": 'Bearer realm="parley"' };

function unauthorized(message: string): ApiError {
  return new ApiError("unauthorized", message, { ...CHALLENGE, "www-authenticate": `Bearer realm="parley", error="invalid_token"` });
}

/**
 * Who a bearer token speaks for at `now` (epoch ms), or the API error that refuses it. REST and
 * the WebSocket handshake both come here, so one token is accepted or refused alike on both.
 */
export async function authenticateToken(env: Env, token: string | undefined, now = Date.now()): Promise<Principal> {
  const config = authConfig(env);
  if (!config)
    throw new ApiError(
      "unavailable",
      "Parley is not configured: set JWT_SECRET or JWT_JWKS_URL, SNAPSHOT_MAC_KEY, SLOT_KEYS, SLOT_KEY_ACTIVE and PSEUDONYM_KEY (see README → Configuration)",
    );
  if (!token) throw new ApiError("unauthorized", "a bearer token is required", CHALLENGE);
  return config.verified.get(token, now) ?? config.verified.remember(token, await verify(config, token, now));
}

async function verify(config: AuthConfig, token: string, now: number): Promise<Principal> {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw unauthorized("token is not a JWT");
  }
  const verifier = verifierFor(config, alg);
  if (!verifier) throw unauthorized("token algorithm not allowed");
  try {
    return await verifyToken(token, verifier, now);
  } catch (error) {
    if (error instanceof TokenError) throw unauthorized(error.message);
    throw error;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Verifies `Authorization: Bearer <JWT>` and sets the principal; 401 otherwise (503 when no key is configured). */
export const authenticate: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  c.set("principal", await authenticateToken(c.env, bearerToken(c.req.header("authorization"))));
  await next();
};

/** 403 unless the token carries `scope`. */
export function requireScope(scope: Scope): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (!c.get("principal").scopes.has(scope)) throw new ApiError("forbidden", `this route needs the "${scope}" scope`);
    await next();
  };
}
