import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { readMetrics } from "../../../durable-objects/metrics/metrics-shards.js";
import { derivedGauges, openWebSockets, queueGauges } from "../../../src/metrics/derived.js";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../../../src/metrics/prometheus.js";
import { statsAnswer } from "../../../src/metrics/stats.js";
import { rangeEndingAt } from "../../../src/metrics/timeline.js";
import { STATS_WINDOWS, statsAnswerSchema, statsQuerySchema } from "../../../src/protocol/metrics.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { authErrors, bearerSecurity, queryErrors } from "../openapi.js";
import { adminOnly } from "./admin-common.js";
import { handoffFigures } from "./admin-handoff.js";

const getMetrics = createRoute({
  method: "get",
  path: "/metrics",
  summary: "Every counter, histogram and gauge in Prometheus text format, merged over all aggregator shards",
  security: bearerSecurity,
  middleware: adminOnly,
  responses: {
    200: { description: "Prometheus text exposition format 0.0.4", content: { "text/plain": { schema: z.string() } } },
    ...authErrors,
  },
});

const getStats = createRoute({
  method: "get",
  path: "/v1/admin/stats",
  summary: "The figures of /metrics over time buckets (drawn by /admin)",
  security: bearerSecurity,
  middleware: adminOnly,
  request: { query: statsQuerySchema },
  responses: {
    200: { description: "time buckets, window totals and current gauges", content: { "application/json": { schema: statsAnswerSchema } } },
    ...queryErrors,
    ...authErrors,
  },
});

/** `GET /metrics` and `GET /v1/admin/stats` (docs/observability.md). */
export const metricsRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook })
  .openapi(getMetrics, async (c) => {
    const now = Date.now();
    const { totals, stages, shards } = await readMetrics(c.env);
    const handoff = (await handoffFigures(c.env, totals)).queues.map(({ bot, queue, stats }) => ({ bot, queue, ...stats }));
    const text = renderPrometheus(totals, derivedGauges({ totals, stages, now, shards, handoff }));
    return c.text(text, 200, { "content-type": PROMETHEUS_CONTENT_TYPE });
  })
  .openapi(getStats, async (c) => {
    const { window } = c.req.valid("query");
    const now = Date.now();
    const { ms, stepMs } = STATS_WINDOWS[window];
    const range = rangeEndingAt(now, ms, stepMs);
    const reading = await readMetrics(c.env, range);
    const current = { websocketsOpen: openWebSockets(reading.totals), voiceQueues: queueGauges(reading.stages, now), shards: reading.shards };
    return c.json(statsAnswer(window, range, reading.timeline, current, now), 200);
  });
