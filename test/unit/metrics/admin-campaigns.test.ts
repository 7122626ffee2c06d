import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { campaignAnswerSchema } from "../../../src/campaign/api.js";
import { formatMoney } from "../../../src/campaign/money.js";

type CampaignAnswer = z.infer<typeof campaignAnswerSchema>;

/** The campaign panel's formatting, as the browser loads it (public/admin/campaign-format.js). */
interface CampaignFormat {
  formatMoney(amount: number, currency: string): string;
  formatLatency(figures: { count: number; p50Ms: number | null; p90Ms: number | null }): string;
  winsByPrize(answer: CampaignAnswer): { label: string; count: number }[];
  statusControl(adminStatus: string): { action: string; label: string } | null;
  rowFigures(answer: CampaignAnswer): Record<"status" | "draws" | "reserved" | "paid" | "released" | "budgetLeft" | "latency", string>;
}

const page = (await import(new URL("../../../public/admin/campaign-format.js", import.meta.url).href)) as CampaignFormat;

const latency = (count: number, p50Ms: number | null, p90Ms: number | null) => ({ count, p50Ms, p90Ms, maxMs: p90Ms, buckets: [] });

const answer: CampaignAnswer = campaignAnswerSchema.parse({
  definition: {
    id: "spring",
    name: "Spring lottery",
    startsAt: "2026-03-01T00:00:00Z",
    endsAt: "2026-04-01T00:00:00Z",
    currency: "CNY",
    budget: 100_000,
    shards: 4,
    drawsPerUser: 1,
    noPrizeWeight: 50,
    prizes: [
      { id: "cash-5", kind: "cash", amount: 500, count: 100, weight: 5, label: { en: "¥5 in cash", zh: "5元现金" } },
      { id: "socks", kind: "item", amount: 0, count: 20, weight: 2, label: { en: "Parley socks", zh: "袜子" } },
    ],
  },
  status: "active",
  adminStatus: "active",
  createdAt: 1,
  totals: {
    draws: 1234,
    wins: { "cash-5": 12 },
    cash: { reserved: { count: 2, amount: 1000 }, paid: { count: 9, amount: 4500 }, released: { count: 1, amount: 500 } },
    budgetLeft: 94_000,
    stockLeft: { "cash-5": 88, socks: 20 },
    payoutLatency: { paid: latency(9, 850, 2400), released: latency(1, 61_000, 61_000) },
  },
});

describe("admin page: the campaign panel's figures", () => {
  it("formats money exactly as the chat tells a winner (src/campaign/money.ts), for any amount and currency", () => {
    const currency = fc.constantFrom("CNY", "USD", "EUR", "GBP", "JPY", "HKD", "KRW", "CHF");
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), currency, (amount, code) => page.formatMoney(amount, code) === formatMoney(amount, code)));
    expect([page.formatMoney(94_000, "CNY"), page.formatMoney(1250, "CHF"), page.formatMoney(500, "JPY")]).toEqual(["¥940.00", "12.50 CHF", "¥500"]);
  });

  it("gives a row: status, exact counts, money in the campaign's currency, paid latency p50 / p90", () => {
    expect(page.rowFigures(answer)).toEqual({
      status: "active",
      draws: "1234",
      reserved: "2 · ¥10.00",
      paid: "9 · ¥45.00",
      released: "1 · ¥5.00",
      budgetLeft: "¥940.00 of ¥1000.00",
      latency: "850 ms / 2.4 s",
    });
    expect(page.formatLatency(latency(0, null, null))).toBe("–");
  });

  it("lists wins for every prize in the definition's order, none as 0", () => {
    expect(page.winsByPrize(answer)).toEqual([
      { label: "¥5 in cash", count: 12 },
      { label: "Parley socks", count: 0 },
    ]);
  });

  it("offers Pause on an open campaign, Resume on a paused one, nothing on an ended one", () => {
    expect(page.statusControl("active")).toEqual({ action: "pause", label: "Pause" });
    expect(page.statusControl("paused")).toEqual({ action: "resume", label: "Resume" });
    expect(page.statusControl("ended")).toBeNull();
  });
});
