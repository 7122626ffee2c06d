import type { MiddlewareHandler } from "hono";
import { nextTraceparent } from "../../../src/metrics/trace.js";
import type { GatewayEnv } from "../context.js";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The W3C trace logic lives in src/metrics/trace.ts; re-exported for this middleware's tests. */
export { nextTraceparent };

/**
 * Every answer carries `x-request-id` (the caller's, if it sent a sane one) and `traceparent`
 * (the caller's trace continued, or a new one). Both are set before the routes run, so logs,
 * actor calls and queue messages can carry them.
 */
export const requestId: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  const traceparent = nextTraceparent(c.req.header("traceparent"));
  c.set("traceparent", traceparent);
  await next();
  c.header("x-request-id", id);
  c.header("traceparent", traceparent);
};
