import { exports } from "cloudflare:workers";
import { signToken, secretBytes } from "../../src/security/jwt.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import type { Scope } from "../../src/security/scopes.js";

export const BASE = "http://parley.test";

/** A development token, as `npm run token` prints it. */
export async function tokenFor(userId: string, scopes: Scope[] = ["chat"], ttlSeconds = 3600): Promise<string> {
  return (await signToken({ userId, scopes, ttlSeconds, secret: secretBytes(DEV_JWT_SECRET) })).token;
}

/** A request to the Worker's own fetch handler, as a client sends it. */
export function call(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, body: body ?? null }));
}

export async function say(token: string, text: string, clientMessageId?: string): Promise<Response> {
  return call("/v1/messages", { method: "POST", token, json: { text, ...(clientMessageId ? { clientMessageId } : {}) } });
}

/** The error body of API.md, asserted in one place. */
export async function errorOf(response: Response): Promise<{ code: string; message: string; requestId: string }> {
  const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
  return body.error;
}
