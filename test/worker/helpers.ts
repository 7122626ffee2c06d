import { exports } from "cloudflare:workers";
import { SNAPSHOT_MIN_EVENTS } from "../../durable-objects/conversation/snapshots.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
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

/**
 * Small talk until SNAPSHOT_MIN_EVENTS events follow `sinceSeq` (the last snapshot's seq, 0 for
 * none): from then on the conversation's snapshot alarm is due. Answers the last seq.
 */
export async function talkUntilSnapshotDue(token: string, prefix: string, sinceSeq = 0): Promise<number> {
  for (let i = 0; i < SNAPSHOT_MIN_EVENTS; i++) {
    const response = await say(token, "hello", `${prefix}-small-talk-${i}`);
    if (response.status !== 200) throw new Error(`small talk answered ${response.status}`);
    const { seq } = (await response.json()) as { seq: number };
    if (seq - sinceSeq >= SNAPSHOT_MIN_EVENTS) return seq;
  }
  throw new Error("the conversation did not grow");
}

/** The error body of docs/api.md, asserted in one place. */
export async function errorOf(response: Response): Promise<{ code: string; message: string; requestId: string }> {
  const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
  return body.error;
}
