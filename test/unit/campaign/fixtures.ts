import type { CampaignDefinition } from "../../../src/campaign/schema.js";

/** A small campaign in the shape of the bundled one (bots/campaigns/spring-lottery.json). */
export function campaign(change: Partial<CampaignDefinition> = {}): CampaignDefinition {
  return {
    id: "spring",
    name: "Spring lottery",
    startsAt: "2026-01-01T00:00:00Z",
    endsAt: "2099-01-01T00:00:00Z",
    currency: "CNY",
    budget: 100_000,
    shards: 4,
    drawsPerUser: 1,
    noPrizeWeight: 25,
    prizes: [
      { id: "cash-5", kind: "cash", amount: 500, count: 100, weight: 10, label: { en: "¥5.00 cash", zh: "5元现金" } },
      { id: "cash-1", kind: "cash", amount: 100, count: 500, weight: 30, label: { en: "¥1.00 cash", zh: "1元现金" } },
      { id: "coupon-10", kind: "coupon", amount: 0, count: 1000, weight: 30, label: { en: "10% off coupon", zh: "九折券" } },
      { id: "socks", kind: "item", amount: 0, count: 50, weight: 5, label: { en: "a free pair of socks", zh: "免费袜子一双" } },
    ],
    ...change,
  };
}
