import { env } from "cloudflare:workers";
import { drawFromCampaign } from "../../../durable-objects/campaign/draw.js";
import type { Env } from "../../../platform/env.js";
import type { CampaignDefinition } from "../../../src/campaign/schema.js";
import type { DrawResult } from "../../../src/campaign/types.js";
import { call, tokenFor } from "../helpers.js";
import { eventually } from "../registry/fixtures.js";

export const adminToken = () => tokenFor("campaign-admin", ["admin"]);

/** A campaign open now, with one cash prize, a coupon and socks; `change` overrides anything. */
export function campaign(id: string, change: Partial<CampaignDefinition> = {}): CampaignDefinition {
  return {
    id,
    name: `Test ${id}`,
    startsAt: "2025-01-01T00:00:00Z",
    endsAt: "2099-01-01T00:00:00Z",
    currency: "CNY",
    budget: 10_000,
    shards: 4,
    drawsPerUser: 1,
    noPrizeWeight: 10,
    prizes: [
      { id: "cash-1", kind: "cash", amount: 100, count: 50, weight: 10, label: { en: "¥1.00 in cash", zh: "1元现金" } },
      { id: "coupon", kind: "coupon", amount: 0, count: 100, weight: 10, label: { en: "a coupon", zh: "一张优惠券" } },
    ],
    ...change,
  };
}

/** The campaigns this test file created, so that it can wait for their payout sagas to end. */
const created = new Set<string>();

export async function create(definition: unknown): Promise<Response> {
  const id = (definition as { id?: unknown }).id;
  if (typeof id === "string") created.add(id);
  return call("/v1/admin/campaigns", { method: "POST", token: await adminToken(), json: definition });
}

export async function admin(path: string, method: "GET" | "POST" = "GET"): Promise<Response> {
  return call(`/v1/admin/campaigns${path}`, { method, token: await adminToken() });
}

/** A draw as the conversation actor makes it: the user's pseudonym, the turn's call id. */
export function draw(campaignId: string, userKey: string, requestId: string, language: "en" | "zh" = "en"): Promise<DrawResult> {
  return drawFromCampaign(env as Env, { campaignId, userKey, requestId, conversationId: `conversation-of-${userKey}`, language });
}

export interface Reconciliation {
  ok: boolean;
  differences: unknown[];
  totals: {
    draws: number;
    wins: Record<string, number>;
    cash: Record<"reserved" | "paid" | "released", { count: number; amount: number }>;
    budgetLeft: number;
  };
  shards: {
    shard: number;
    draws: number;
    granted: { budget: number; prizes: Record<string, number> };
    left: { budget: number; prizes: Record<string, number> };
  }[];
  coordinator: { remainder: { budget: number; prizes: Record<string, number> } };
}

export async function reconciliation(campaignId: string): Promise<Reconciliation> {
  const response = await admin(`/${campaignId}/reconcile`);
  if (response.status !== 200) throw new Error(`reconcile answered ${response.status}`);
  return (await response.json()) as Reconciliation;
}

/**
 * Waits until every cash win of the campaigns this file created is paid or released: a saga still
 * running when the file ends would log into a test run that has closed. (Use it in `afterAll` of
 * files whose sagas all end settled.)
 */
export async function settleAll(alsoDrawnFrom: string[] = [], withinMs = 20_000): Promise<void> {
  for (const campaignId of [...created, ...alsoDrawnFrom]) {
    const response = await admin(`/${campaignId}/reconcile`);
    if (response.status === 404) continue;
    await eventually(async () => ((await reconciliation(campaignId)).totals.cash.reserved.count === 0 ? true : undefined), withinMs, 100);
  }
  created.clear();
}
