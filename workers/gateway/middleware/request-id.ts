import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../context.js";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function randomHex(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(buffer, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The W3C `traceparent` of this hop: the caller's trace id when it sent a valid one, a new
 * one otherwise, and always a span id of our own.
 */
export function nextTraceparent(incoming: string | undefined): string {
  const match = incoming ? TRACEPARENT.exec(incoming) : null;
  const traceId = match?.[1] && !/^0+$/.test(match[1]) ? match[1] : randomHex(16);
  const flags = match?.[3] ?? "01";
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

/** Every answer carries `x-request-id` (the caller's, if it sent a sane one) and `traceparent`. */
export const requestId: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  const traceparent = nextTraceparent(c.req.header("traceparent"));
  await next();
  c.header("x-request-id", id);
  c.header("traceparent", traceparent);
};
