import { z } from "zod";

/**
 * The windows `GET /v1/admin/stats` offers, each with the width of its buckets: about 15 to
 * 100 points per chart, whatever the window.
 */
export const STATS_WINDOWS = {
  "15m": { ms: 15 * 60_000, stepMs: 60_000 },
  "1h": { ms: 60 * 60_000, stepMs: 60_000 },
  "6h": { ms: 6 * 60 * 60_000, stepMs: 5 * 60_000 },
  "24h": { ms: 24 * 60 * 60_000, stepMs: 15 * 60_000 },
} as const;
export type StatsWindow = keyof typeof STATS_WINDOWS;

export const statsQuerySchema = z.strictObject({
  window: z
    .enum(Object.keys(STATS_WINDOWS) as [StatsWindow, ...StatsWindow[]])
    .default("1h")
    .describe("how far back: 15m, 1h (default), 6h or 24h"),
});
export type StatsQuery = z.infer<typeof statsQuerySchema>;

const count = z.number().int().min(0);
const ratio = z.number().min(0).max(1).nullable().describe("null when there was nothing to divide by");
const byCohortCount = z.object({ stable: count, canary: count });
const byCohortRatio = z.object({ stable: ratio, canary: ratio });
const latency = z.object({
  p50: z.number().nullable().describe("milliseconds, interpolated in the histogram's buckets; null without requests"),
  p99: z.number().nullable(),
});
const voiceStatusCounts = z.record(z.string(), count).describe("voice jobs that entered each status");

export const statsBucketSchema = z.object({
  start: z.number().int().describe("epoch milliseconds; the bucket spans stepSeconds from here"),
  requests: count,
  errors: count.describe("answers with a 5xx status"),
  latencyMs: latency,
  turns: byCohortCount,
  fallbacks: byCohortCount,
  fallbackRate: byCohortRatio,
  handoffs: count,
  coldTurns: count.describe("turns that were the first after an actor loaded from storage"),
  voice: voiceStatusCounts,
  retries: count.describe("voice queue deliveries sent back for a retry"),
  deadLetters: count,
});
export type StatsBucket = z.infer<typeof statsBucketSchema>;

export const statsTotalsSchema = statsBucketSchema.omit({ start: true }).extend({
  intents: z.array(z.object({ intent: z.string(), count })).describe("most frequent first; 'none' = nothing recognized"),
  actorHitRatio: ratio.describe("warm turns / all turns in the window"),
  snapshotsWritten: count,
  snapshotMacFailures: count,
});
export type StatsTotals = z.infer<typeof statsTotalsSchema>;

export const statsNowSchema = z.object({
  websocketsOpen: count,
  voiceQueues: z.array(
    z.object({
      stage: z.enum(["asr", "tts"]),
      backlog: count.describe("jobs whose message on this queue is not settled"),
      lagSeconds: z.number().min(0).describe("age of the oldest of them"),
    }),
  ),
  shards: z.object({ ok: count, unreachable: count }).describe("aggregator shards merged; unreachable ones are missing from every figure"),
});
export type StatsNow = z.infer<typeof statsNowSchema>;

/** `GET /v1/admin/stats`: the figures of /metrics over time, as the /admin page draws them. */
export const statsAnswerSchema = z.object({
  window: z.enum(Object.keys(STATS_WINDOWS) as [StatsWindow, ...StatsWindow[]]),
  stepSeconds: z.number().int(),
  from: z.number().int().describe("epoch milliseconds: start of the first bucket"),
  to: z.number().int().describe("epoch milliseconds: end of the last (current, partial) bucket"),
  generatedAt: z.number().int(),
  buckets: z.array(statsBucketSchema).describe("oldest first, one per step, empty ones included"),
  totals: statsTotalsSchema.describe("the whole window"),
  now: statsNowSchema,
});
export type StatsAnswer = z.infer<typeof statsAnswerSchema>;
