/**
 * A seeded generator of hostile HTTP requests across every route of docs/api.md: odd methods,
 * mangled paths and queries, forged and foreign tokens, wrong content types, bodies of the wrong
 * shape, size, depth or encoding. Requests made with the reference user's token are always
 * refusable (read-only, or a body no schema accepts), so that user's conversation must not change.
 */
import type { HttpRequest } from "../bench/load.js";
import type { Rng } from "./random.js";

/** The routes, with `:param` placeholders (docs/api.md → Routes). */
export const ROUTES = [
  "/healthz",
  "/openapi.json",
  "/metrics",
  "/v1/sessions/anonymous",
  "/v1/identity/link",
  "/v1/messages",
  "/v1/conversation",
  "/v1/conversation/messages",
  "/v1/conversation/export",
  "/v1/ws",
  "/v1/voice",
  "/v1/voice/:jobId",
  "/v1/voice/:jobId/audio",
  "/v1/voice/:jobId/retry",
  "/v1/admin/bots/:bot/versions/:version",
  "/v1/admin/bots/:bot",
  "/v1/admin/bots/:bot/rollout",
  "/v1/admin/bots/:bot/rollback",
  "/v1/admin/bots/:bot/parse",
  "/v1/admin/conversations/:userId",
  "/v1/admin/campaigns",
  "/v1/admin/campaigns/:campaign",
  "/v1/admin/campaigns/:campaign/pause",
  "/v1/admin/campaigns/:campaign/reconcile",
  "/v1/admin/handoff",
  "/v1/admin/stats",
  "/v1/agent/queues/:bot/:queue",
  "/v1/agent/queues/:bot/:queue/entries/:entryId/claim",
  "/v1/agent/queues/:bot/:queue/entries/:entryId/reply",
  "/v1/agent/queues/:bot/:queue/entries/:entryId/history",
  "/v1/agent/bots/:bot/canned",
  "/v1/payments/callback",
] as const;

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] as const;

const NASTY_STRINGS = [
  "",
  " ",
  "..",
  "../../etc/passwd",
  "%2e%2e%2f",
  "%00",
  "%ff%fe",
  "' OR 1=1 --",
  '"; DROP TABLE events; --',
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup, sent as it is
  "${jndi:ldap://x}",
  "__proto__",
  "constructor",
  "shop",
  "1",
  "-1",
  "NaN",
  "1e309",
  "00000000-0000-0000-0000-000000000000",
  "ｓｈｏｐ",
  "\u202e\u0000",
  "😀".repeat(40),
  "a".repeat(300),
] as const;

const CONTENT_TYPES = [
  undefined,
  "application/json",
  "application/json; charset=utf-16",
  "application/merge-patch+json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/xml",
  "multipart/form-data; boundary=x",
  "audio/wav",
  "audio/webm;codecs=opus",
  "image/png",
  "application/json, text/plain",
] as const;

/** The tokens the generator may use: `reference` only for refusable requests. */
export interface HostileTokens {
  reference: string;
  /** other users' valid chat tokens (their conversations may change) */
  others: readonly string[];
  admin: string;
  agent: string;
  /** forged, expired, wrong-secret, alg:none… */
  forged: readonly string[];
}

export interface HostileRequest extends HttpRequest {
  /** made with the reference user's token */
  asReference: boolean;
}

function nasty(rng: Rng): string {
  return rng.pick(NASTY_STRINGS);
}

function fillPath(template: string, rng: Rng): string {
  const filled = template.replace(/:[a-zA-Z]+/g, () => (rng.chance(0.3) ? "shop" : encodeURIComponent(nasty(rng))));
  if (!rng.chance(0.4)) return filled;
  const query = [
    `after=${encodeURIComponent(nasty(rng))}`,
    `limit=${rng.pick(["0", "201", "-5", "1e3", "abc", "50"])}`,
    "provider=true",
    "bot=shop",
    "x=1",
    "after=1&after=2",
  ];
  return `${filled}?${rng.pick(query)}${rng.chance(0.3) ? `&${rng.pick(query)}` : ""}`;
}

/** A JSON value of a random shape, sometimes with the field names the API uses. */
export function jsonValue(rng: Rng, depth = 0): unknown {
  const kind = rng.int(depth > 3 ? 6 : 9);
  if (kind === 0) return null;
  if (kind === 1) return rng.pick([0, -1, 1.5, 2 ** 53 + 1, 1e308, -0]);
  if (kind === 2) return rng.chance(0.5);
  if (kind === 3 || kind === 4) return nasty(rng);
  if (kind === 5) return "x".repeat(rng.pick([2000, 2001, 17_000]));
  if (kind === 6) return Array.from({ length: rng.int(4) }, () => jsonValue(rng, depth + 1));
  const keys = ["text", "clientMessageId", "since", "type", "anonymousToken", "stable", "canary", "id", "budget", "__proto__", nasty(rng)];
  const object: Record<string, unknown> = {};
  for (let i = rng.int(4); i >= 0; i--) object[rng.pick(keys)] = jsonValue(rng, depth + 1);
  return object;
}

function body(rng: Rng, asReference: boolean): string | Uint8Array | undefined {
  const kind = rng.int(8);
  if (kind === 0) return undefined;
  if (kind === 1) return "{not json";
  if (kind === 2) return `${"[".repeat(5000)}${"]".repeat(5000)}`;
  if (kind === 3) return Uint8Array.from({ length: 64 }, () => rng.int(256));
  if (kind === 4) return JSON.stringify({ text: "x".repeat(20_000), clientMessageId: "big" });
  const value = jsonValue(rng);
  // The reference user's bodies carry a field no schema knows: strict schemas refuse them all.
  if (asReference) return JSON.stringify({ ...(typeof value === "object" && value !== null && !Array.isArray(value) ? value : {}), zzUnknownField: value });
  return JSON.stringify(value);
}

function authorization(rng: Rng, tokens: HostileTokens, asReference: boolean): string | undefined {
  if (asReference) return `Bearer ${tokens.reference}`;
  const kind = rng.int(7);
  if (kind === 0) return undefined;
  if (kind === 1) return rng.pick(["Bearer", "Bearer ", "Basic YTpi", `bearer ${rng.pick(tokens.others)}`, "Bearer a.b.c", `Bearer ${"A".repeat(9000)}`]);
  if (kind === 2) return `Bearer ${tokens.admin}`;
  if (kind === 3) return `Bearer ${tokens.agent}`;
  if (kind === 4) return `Bearer ${rng.pick(tokens.forged)}`;
  return `Bearer ${rng.pick(tokens.others)}`;
}

/** One hostile request. About one in five uses the reference user's token (never to change anything). */
export function hostileRequest(rng: Rng, tokens: HostileTokens): HostileRequest {
  const asReference = rng.chance(0.2);
  let method: string = rng.pick(METHODS);
  let template: string = rng.pick(ROUTES);
  // Nothing the reference user sends may be acceptable: no erasure, no voice job, no guest link.
  if (asReference && (method === "DELETE" || template === "/v1/voice" || template.endsWith("/retry"))) method = "GET";
  if (rng.chance(0.05)) template = `/${encodeURIComponent(nasty(rng))}/${encodeURIComponent(nasty(rng))}`;
  const headers: Record<string, string> = {};
  const auth = authorization(rng, tokens, asReference);
  if (auth !== undefined) headers["authorization"] = auth;
  const contentType = rng.pick(CONTENT_TYPES);
  if (contentType !== undefined) headers["content-type"] = contentType;
  if (rng.chance(0.2)) headers["x-request-id"] = rng.pick(["ok-id", "a".repeat(100), "bad id!", "é"]);
  if (rng.chance(0.1)) headers["origin"] = rng.pick(["https://evil.example", "null", "https://shop.example"]);
  if (rng.chance(0.1)) headers["traceparent"] = rng.pick(["00-zz-yy-01", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "ff"]);
  const hasBody = method !== "GET" && method !== "HEAD";
  const sent = hasBody ? body(rng, asReference) : undefined;
  return { method, path: fillPath(template, rng), headers, ...(sent === undefined ? {} : { body: sent }), asReference };
}
