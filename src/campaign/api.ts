import { z } from "zod";
import { campaignDefinitionSchema, campaignIdSchema } from "./schema.js";

/** Schemas of the admin campaign routes (docs/api.md → Campaigns), in the OpenAPI document. */

export const campaignParamsSchema = z.strictObject({ campaign: campaignIdSchema });

export const reconcileQuerySchema = z.strictObject({
  provider: z
    .enum(["true", "false"])
    .optional()
    .describe("true: also ask the payment provider about every cash win's idempotency key (one lookup per win, 16 at a time)"),
});

const count = () => z.number().int();
const statusSchema = z.enum(["scheduled", "active", "paused", "ended"]).describe("the admin status with the clock's say");
const adminStatusSchema = z.enum(["active", "paused", "ended"]).describe("what an admin set; `ended` is final");

export const stockSchema = z.object({ budget: count().describe("minor units"), prizes: z.record(z.string(), count()).describe("count per prize id") });
const moneyCountSchema = z.object({ count: count(), amount: count().describe("minor units") });
const cashSchema = z.object({ reserved: moneyCountSchema, paid: moneyCountSchema, released: moneyCountSchema });

const latencyFiguresSchema = z.object({
  count: count(),
  p50Ms: count().nullable().describe("median, ms; null when no payout ended"),
  p90Ms: count().nullable().describe("90th percentile, ms"),
  maxMs: count().nullable(),
  buckets: z.array(z.object({ leMs: count(), count: count() })).describe("non-empty histogram buckets (upper bound in ms): how shards are summed"),
});

const payoutLatencySchema = z
  .object({ paid: latencyFiguresSchema, released: latencyFiguresSchema })
  .describe("reservation → paid, and reservation → released (rejected and compensated), in ms");

export const totalsSchema = z.object({
  draws: count(),
  wins: z.record(z.string(), count()).describe("wins per prize id, released ones included"),
  cash: cashSchema,
  budgetLeft: count().describe("on the shards and at the coordinator, minor units"),
  stockLeft: z.record(z.string(), count()).describe("prizes left per id, on the shards and at the coordinator"),
  payoutLatency: payoutLatencySchema.describe(
    "over every shard: count and max exact; p50/p90 exact with one shard's payouts, else interpolated within one histogram bucket (≤ 25%)",
  ),
});

export const campaignSummarySchema = z.object({
  id: campaignIdSchema,
  name: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: statusSchema,
  adminStatus: adminStatusSchema,
});

export const campaignListSchema = z.object({ campaigns: z.array(campaignSummarySchema) });

export const campaignAnswerSchema = z.object({
  definition: campaignDefinitionSchema,
  status: statusSchema,
  adminStatus: adminStatusSchema,
  createdAt: count().describe("epoch milliseconds"),
  totals: totalsSchema,
});

export const createAnswerSchema = campaignAnswerSchema.extend({ created: z.boolean().describe("false when this very definition existed: nothing changed") });

export const statusAnswerSchema = z.object({
  id: campaignIdSchema,
  status: statusSchema,
  adminStatus: adminStatusSchema,
  changed: z.boolean().describe("false when the campaign already had this status"),
});

const shardLedgerSchema = z.object({
  shard: count(),
  draws: count(),
  wins: z.record(z.string(), count()),
  releasedWins: z.record(z.string(), count()),
  cash: cashSchema,
  left: stockSchema,
  granted: stockSchema.describe("the coordinator's grants this shard applied"),
  pendingGrants: count().describe("asked for, answer not applied yet: the shard retries"),
  payoutLatency: payoutLatencySchema.describe("this shard's ended payouts, exact"),
});

const differenceSchema = z.object({
  check: z.enum(["shard-books", "grants", "conservation", "budget-cap", "prize-cap", "cash-records"]),
  item: z.string().describe('"budget" or a prize id'),
  expected: count(),
  actual: count(),
  shard: count().optional(),
});

const providerCheckSchema = z.object({
  checked: count().describe("cash wins compared"),
  confirmed: z.object({ count: count(), amount: count() }).describe("paid in the ledger and at the provider"),
  inFlight: count().describe("reserved, the provider not done yet: a saga is on it"),
  differences: z.array(
    z.object({
      drawId: z.string(),
      shard: count(),
      amount: count(),
      ledger: z.enum(["reserved", "paid", "released"]),
      provider: z.enum(["paid", "pending", "rejected", "not_found", "unreachable"]),
      problem: z.enum(["settled_not_paid", "paid_not_settled", "rejected_not_released", "released_but_paid", "unknown"]),
    }),
  ),
});

export const reconcileAnswerSchema = z.object({
  ok: z.boolean().describe("true when there is no difference (in the ledgers, and with the provider when asked)"),
  provider: providerCheckSchema.optional().describe("with ?provider=true: the ledger against the payment provider"),
  differences: z.array(differenceSchema),
  coordinator: z.object({ remainder: stockSchema, grantedByShard: z.array(stockSchema) }),
  shards: z.array(shardLedgerSchema),
  totals: totalsSchema,
});
