import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { logEvent } from "../../../platform/log.js";
import { recordMetric } from "../../../platform/metrics-batcher.js";
import { userPseudonym } from "../../../platform/pseudonym.js";
import type { TraceContext } from "../../../src/metrics/trace.js";
import { traceFields, traceFor } from "../../../src/metrics/trace.js";
import type { Principal } from "../../../src/security/jwt.js";
import type { GatewayEnv } from "../context.js";

/** The route label of requests no route matched: raw paths would make a label per scanner probe. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * One structured log line and one metrics fact per request: route pattern (never the raw
 * path, whose ids would explode the label space), method, status and latency, plus the
 * request id, trace id and the user's pseudonym. Counting is in memory; the flush it may start
 * is handed to `waitUntil`, so the answer never waits for metrics.
 */
export const telemetry: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  const started = Date.now();
  await next();
  const seconds = (Date.now() - started) / 1000;
  const route = routePatternOf(c);
  const status = c.res.status;
  const { traceId, user } = traceFields(await traceOf(c));
  logEvent(status >= 500 ? "error" : "info", "request", {
    requestId: c.get("requestId"),
    traceId,
    user,
    method: c.req.method,
    route,
    status,
    latencyMs: Math.round(seconds * 1000),
  });
  recordMetric(c.env, c.executionCtx, { type: "request", route, method: c.req.method, status, seconds });
};

/** The trace a handler hands on to actors, queues and webhooks: this request's, with the user's pseudonym. Computed once per request. */
export async function traceOf(c: Context<GatewayEnv>): Promise<TraceContext> {
  const known = c.get("trace") as TraceContext | undefined;
  if (known) return known;
  const principal = c.get("principal") as Principal | undefined;
  const trace = traceFor(c.get("traceparent"), principal ? await userPseudonym(c.env, principal.userId) : undefined);
  c.set("trace", trace);
  return trace;
}

/**
 * The pattern of the route that answered, e.g. `/v1/voice/:jobId`. After the chain has run,
 * `routeIndex` points at the last handler that ran; `use()` middleware is registered for
 * method ALL, so landing on one means no route answered (the 404 handler did).
 */
export function routePatternOf(c: Context<GatewayEnv>): string {
  const route = matchedRoutes(c)[c.req.routeIndex];
  return route && route.method !== "ALL" ? route.path : UNMATCHED_ROUTE;
}
