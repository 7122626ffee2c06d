import { DEV_JWT_SECRET } from "../src/security/dev-secrets.js";
import type { Principal } from "../src/security/jwt.js";
import { TokenError, secretBytes, verifyToken } from "../src/security/jwt.js";

/**
 * What the baseline and the Agents-SDK peer do before their turn, the same way: the token
 * checked with Parley's own `verifyToken` (the development secret), the body's text read.
 */
const SECRET = secretBytes(DEV_JWT_SECRET);

export function errorAnswer(status: number, code: string): Response {
  return Response.json({ error: { code, message: code, requestId: "" } }, { status });
}

/** A principal with the chat scope, or the error answer. */
export async function authenticate(token: string | null): Promise<Principal | Response> {
  if (!token) return errorAnswer(401, "unauthorized");
  try {
    const principal = await verifyToken(token, { key: { kind: "secret", secret: SECRET } }, Date.now());
    return principal.scopes.has("chat") ? principal : errorAnswer(403, "forbidden");
  } catch (cause) {
    if (cause instanceof TokenError) return errorAnswer(401, "unauthorized");
    throw cause;
  }
}

/** The user and text a `POST /v1/messages` asks a turn for, or the error answer that refuses it. */
export async function readTurn(request: Request): Promise<{ userId: string; text: string } | Response> {
  const header = request.headers.get("authorization") ?? "";
  const principal = await authenticate(header.startsWith("Bearer ") ? header.slice("Bearer ".length) : null);
  if (principal instanceof Response) return principal;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return errorAnswer(400, "invalid_request");
  }
  const text = typeof body === "object" && body !== null && "text" in body ? body.text : undefined;
  if (typeof text !== "string" || text.length < 1 || text.length > 2000) return errorAnswer(400, "invalid_request");
  return { userId: principal.userId, text };
}
