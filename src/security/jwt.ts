import type { JWTPayload, JWTVerifyGetKey } from "jose";
import { SignJWT, errors, jwtVerify } from "jose";
import type { Scope } from "./scopes.js";
import { parseScopes } from "./scopes.js";
import { CLOCK_TOLERANCE_S, TIME_CLAIM_MESSAGES, tokenTimeProblem } from "./token-time.js";

/** Longer tokens are refused before any parsing: nothing legitimate comes close. */
export const MAX_TOKEN_LENGTH = 8192;
/** A user id becomes a Durable Object name and a log field: keep it short and printable. */
const USER_ID = /^[A-Za-z0-9._:@|-]{1,128}$/;

export type VerificationKey = { kind: "secret"; secret: Uint8Array } | { kind: "jwks"; getKey: JWTVerifyGetKey };

export interface VerifierConfig {
  key: VerificationKey;
  issuer?: string;
  audience?: string;
}

export interface Principal {
  userId: string;
  scopes: Set<Scope>;
  /** epoch ms: the token's `exp` (the clock tolerance is applied where it is checked, see token-time.ts) */
  expiresAt: number;
  /** the token's `name` claim, when it has a usable one: an agent's display name */
  name?: string;
}

export class TokenError extends Error {
  override readonly name = "TokenError";
}

/** Each key kind admits only its own algorithms: HS256 for a secret, RS256/ES256 for a JWKS. */
export function allowedAlgorithms(key: VerificationKey): string[] {
  return key.kind === "secret" ? ["HS256"] : ["RS256", "ES256"];
}

/**
 * Verifies a bearer token at `now` (epoch ms) and returns who it speaks for. Its times follow
 * the one rule of token-time.ts: jose checks `exp` and `nbf` with the same clock and tolerance,
 * and {@link tokenTimeProblem} then checks all three, `iat` included.
 *
 * @example
 * const principal = await verifyToken(token, { key: { kind: "secret", secret } }, Date.now());
 * principal.userId; // the token's `sub`
 */
export async function verifyToken(token: string, config: VerifierConfig, now: number): Promise<Principal> {
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenError("token too long");
  const options = {
    algorithms: allowedAlgorithms(config.key),
    clockTolerance: CLOCK_TOLERANCE_S,
    currentDate: new Date(now),
    requiredClaims: ["sub", "exp"],
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };
  let payload: JWTPayload;
  try {
    payload =
      config.key.kind === "secret"
        ? (await jwtVerify(token, config.key.secret, options)).payload
        : (await jwtVerify(token, config.key.getKey, options)).payload;
  } catch (error) {
    throw new TokenError(describeJoseError(error));
  }
  // jose has checked that exp is present and that exp, nbf and iat are numbers.
  const exp = payload.exp ?? 0;
  const refusedBy = tokenTimeProblem({ exp, nbf: payload.nbf, iat: payload.iat }, now);
  if (refusedBy) throw new TokenError(TIME_CLAIM_MESSAGES[refusedBy]);
  if (typeof payload.sub !== "string" || !USER_ID.test(payload.sub)) throw new TokenError("token has no usable sub");
  const name = displayNameOf(payload["name"]);
  return { userId: payload.sub, scopes: parseScopes(payload["scope"]), expiresAt: exp * 1000, ...(name ? { name } : {}) };
}

/** A `name` claim shown to users beside an agent's messages: trimmed, at most 64 characters, no control characters. */
function displayNameOf(claim: unknown): string | undefined {
  if (typeof claim !== "string") return undefined;
  // By code point, so a name is never cut inside a character.
  const name = [...claim.replace(/\p{Cc}/gu, "").trim()].slice(0, 64).join("").trim();
  return name || undefined;
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return TIME_CLAIM_MESSAGES.exp;
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "nbf") return TIME_CLAIM_MESSAGES.nbf;
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is not valid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "token algorithm not allowed";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "token signature is not valid";
  return "token is not valid";
}

export interface TokenRequest {
  userId: string;
  scopes: readonly Scope[];
  ttlSeconds: number;
  secret: Uint8Array;
  issuer?: string;
  audience?: string;
  now?: number;
  /** a `name` claim (an agent's display name) */
  name?: string;
}

/** Signs an HS256 token: development tokens and guest identities. */
export async function signToken(request: TokenRequest): Promise<{ token: string; expiresAt: number }> {
  const issuedAt = Math.floor((request.now ?? Date.now()) / 1000);
  const expiresAt = issuedAt + request.ttlSeconds;
  let jwt = new SignJWT({ scope: request.scopes.join(" "), ...(request.name ? { name: request.name } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(request.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt);
  if (request.issuer) jwt = jwt.setIssuer(request.issuer);
  if (request.audience) jwt = jwt.setAudience(request.audience);
  return { token: await jwt.sign(request.secret), expiresAt: expiresAt * 1000 };
}

export function secretBytes(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}
