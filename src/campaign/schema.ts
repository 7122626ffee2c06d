import { z } from "zod";
import { formatPath } from "../dialog/index.js";

/**
 * A campaign as data (docs/api.md → Campaigns): validated like a bot definition, errors named by
 * path. Money is integers in minor units, never floats; a campaign's `budget` caps the sum of its
 * cash awards, each prize's `count` caps that prize's awards.
 */

/** A campaign's id: shards are named `${id}:${i}`, so no colon. */
export const campaignIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, "only A-Z, a-z, 0-9, '.', '_' and '-'");

const prizeIdSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9._-]+$/, "only A-Z, a-z, 0-9, '.', '_' and '-'");

const labelSchema = z.strictObject({ en: z.string().min(1).max(200), zh: z.string().min(1).max(200) });

/** A non-negative safe integer: an amount or a count. */
const whole = () => z.number().int().min(0);

export const prizeSchema = z.strictObject({
  id: prizeIdSchema,
  kind: z.enum(["cash", "coupon", "item"]),
  amount: whole().describe("minor units of the campaign's currency: what a cash prize pays, a coupon's or item's face value (may be 0)"),
  count: whole().min(1).describe("how many of this prize the whole campaign may award"),
  weight: whole().min(1).describe("relative chance, against the other prizes still available and `noPrizeWeight`"),
  label: labelSchema.describe("what the user is told they won, per language"),
});

const isoDateTime = () => z.iso.datetime({ offset: true });

export const campaignDefinitionSchema = z
  .strictObject({
    id: campaignIdSchema,
    name: z.string().min(1).max(200),
    startsAt: isoDateTime().describe("ISO 8601: draws are closed (`scheduled`) before it"),
    endsAt: isoDateTime().describe("ISO 8601: draws are closed (`ended`) from it on"),
    currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code: three capital letters"),
    budget: whole().describe("minor units: the sum of cash awards never exceeds it"),
    shards: z.number().int().min(1).max(64).describe("pool shards the budget and prize counts are split over"),
    drawsPerUser: z.number().int().min(1).max(1000),
    noPrizeWeight: whole().describe("relative chance of no prize"),
    prizes: z.array(prizeSchema).min(1).max(50),
  })
  .superRefine((campaign, context) => {
    if (Date.parse(campaign.endsAt) <= Date.parse(campaign.startsAt)) {
      context.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
    }
    const seen = new Set<string>();
    campaign.prizes.forEach((prize, index) => {
      if (seen.has(prize.id)) context.addIssue({ code: "custom", path: ["prizes", index, "id"], message: `duplicate prize id "${prize.id}"` });
      seen.add(prize.id);
      if (prize.kind === "cash" && prize.amount < 1)
        context.addIssue({ code: "custom", path: ["prizes", index, "amount"], message: "a cash prize pays at least 1" });
    });
  });

export type CampaignDefinition = z.infer<typeof campaignDefinitionSchema>;
export type PrizeDefinition = CampaignDefinition["prizes"][number];

export type CampaignValidation = { ok: true; campaign: CampaignDefinition } | { ok: false; path: string; message: string };

/** `prizes[2].amount: a cash prize pays at least 1` as one path and message, like a bot definition. */
export function validateCampaign(json: unknown): CampaignValidation {
  const result = campaignDefinitionSchema.safeParse(json);
  if (result.success) return { ok: true, campaign: result.data };
  const issue = result.error.issues[0];
  return { ok: false, path: formatPath(issue?.path ?? []), message: issue?.message ?? "invalid campaign" };
}
