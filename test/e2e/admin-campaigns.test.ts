import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { campaignAnswerSchema } from "../../src/campaign/api.js";
import type { CampaignDefinition } from "../../src/campaign/schema.js";
import type { StatsWindow } from "../../src/protocol/metrics.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import { adminStats } from "../fixtures/admin-traffic.js";
import { launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

type CampaignAnswer = z.infer<typeof campaignAnswerSchema>;

const ARTIFACTS = join(resolve(import.meta.dirname, "../.."), "test-results");

const latency = (count: number, p50Ms: number | null, p90Ms: number | null) => ({ count, p50Ms, p90Ms, maxMs: p90Ms, buckets: [] });

function definition(id: string, name: string): CampaignDefinition {
  return {
    id,
    name,
    startsAt: "2025-01-01T00:00:00Z",
    endsAt: "2099-01-01T00:00:00Z",
    currency: "CNY",
    budget: 100_000,
    shards: 2,
    drawsPerUser: 1,
    noPrizeWeight: 50,
    prizes: [
      { id: "cash-5", kind: "cash", amount: 500, count: 100, weight: 5, label: { en: "¥5 in cash", zh: "5元现金" } },
      { id: "socks", kind: "item", amount: 0, count: 20, weight: 2, label: { en: "Parley socks", zh: "袜子" } },
    ],
  };
}

/** What GET /v1/admin/campaigns/{id} answers for a campaign that has seen some traffic (checked against the route's schema). */
function answerOf(id: string, name: string, adminStatus: "active" | "paused" | "ended"): CampaignAnswer {
  return campaignAnswerSchema.parse({
    definition: definition(id, name),
    status: adminStatus,
    adminStatus,
    createdAt: 1,
    totals: {
      draws: 1234,
      wins: { "cash-5": 12, socks: 3 },
      cash: { reserved: { count: 2, amount: 1000 }, paid: { count: 9, amount: 4500 }, released: { count: 1, amount: 500 } },
      budgetLeft: 94_000,
      stockLeft: { "cash-5": 88, socks: 17 },
      payoutLatency: { paid: latency(9, 850, 2400), released: latency(1, 61_000, 61_000) },
    },
  });
}

const summaryOf = (answer: CampaignAnswer) => {
  const { id, name, startsAt, endsAt } = answer.definition;
  return { id, name, startsAt, endsAt, status: answer.status, adminStatus: answer.adminStatus };
};

const tokenFor = async (userId: string) => (await signToken({ userId, scopes: ["admin"], ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET) })).token;

/**
 * The "Campaigns" panel of /admin on `wrangler dev` in Chromium: once with fixed answers (every
 * figure the panel shows, and the request its Pause button makes), once against the Worker's
 * own campaign routes (the button really pauses and resumes the campaign).
 */
describe("the /admin campaign panel (wrangler dev + Chromium)", () => {
  let server: DevServer;
  let browser: Browser;
  let admin: string;
  const sentAt = Date.now();

  beforeAll(async () => {
    [server, browser, admin] = await Promise.all([DevServer.launch(), launchBrowser(), tokenFor("ops")]);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** A page whose stats come from the fixture (the panel is below them), collecting errors. */
  async function openPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
    await context.route(
      (url) => url.pathname === "/v1/admin/stats",
      (route: Route) => {
        const window = (new URL(route.request().url()).searchParams.get("window") ?? "1h") as StatsWindow;
        return route.fulfill({ json: adminStats(window, Date.now(), sentAt) });
      },
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
    await page.goto(`${server.url}/admin/#token=${admin}`);
    return { page, errors };
  }

  const newContext = () => browser.newContext({ viewport: { width: 1360, height: 1100 }, timezoneId: "UTC", colorScheme: "light" });
  const row = (page: Page, name: string) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });

  it("shows each campaign's books, and Pause posts the pause, says so and turns into Resume", async () => {
    const campaigns = new Map([
      ["spring", answerOf("spring", "Spring lottery", "active")],
      ["winter", answerOf("winter", "Winter lottery", "ended")],
    ]);
    const posted: { url: string; method: string; authorization: string | undefined }[] = [];
    const context = await newContext();
    await context.route(
      (url) => url.pathname.startsWith("/v1/admin/campaigns"),
      (route: Route) => {
        const request = route.request();
        const path = new URL(request.url()).pathname.split("/").slice(4);
        if (path.length === 0) return route.fulfill({ json: { campaigns: [...campaigns.values()].map(summaryOf) } });
        const answer = campaigns.get(path[0] ?? "");
        if (!answer) return route.fulfill({ status: 404, json: { error: { code: "not_found", message: "no such campaign", requestId: "r" } } });
        if (path[1] === undefined) return route.fulfill({ json: answer });
        posted.push({ url: request.url(), method: request.method(), authorization: request.headers()["authorization"] });
        const adminStatus = path[1] === "pause" ? "paused" : "active";
        campaigns.set(answer.definition.id, { ...answer, status: adminStatus, adminStatus });
        return route.fulfill({ json: { id: answer.definition.id, status: adminStatus, adminStatus, changed: true } });
      },
    );
    const { page, errors } = await openPage(context);
    const panel = page.getByRole("region", { name: "Campaigns" });
    const table = panel.getByRole("table", { name: /Draws, wins per prize/ });
    const spring = row(page, "Spring lottery");
    await spring.waitFor();

    expect(await table.getByRole("columnheader").allTextContents()).toEqual([
      "Campaign",
      "Status",
      "Draws",
      "Wins per prize",
      "Reserved",
      "Paid",
      "Failed / compensated",
      "Budget left",
      "Payout latency p50 / p90",
      "Pause or resume",
    ]);
    expect(await spring.getByRole("cell").allTextContents()).toEqual([
      "active",
      "1234",
      "¥5 in cash: 12Parley socks: 3",
      "2 · ¥10.00",
      "9 · ¥45.00",
      "1 · ¥5.00",
      "¥940.00 of ¥1000.00",
      "850 ms / 2.4 s",
      "Pause Spring lottery",
    ]);
    // Ending is for good and API-only: an ended campaign offers no button.
    const winter = row(page, "Winter lottery");
    expect(await winter.getByRole("button").count()).toBe(0);
    expect(await winter.getByRole("cell").first().textContent()).toBe("ended");

    await page.getByRole("button", { name: "Pause Spring lottery" }).click();
    await expect.poll(() => panel.getByRole("status").textContent()).toBe("Spring lottery paused: draws answer that it is closed.");
    expect(posted).toEqual([{ url: `${server.url}/v1/admin/campaigns/spring/pause`, method: "POST", authorization: `Bearer ${admin}` }]);
    const resume = page.getByRole("button", { name: "Resume Spring lottery" });
    await resume.waitFor();
    expect(await spring.getByRole("cell").first().textContent()).toBe("paused");
    // The focus stays on the campaign's control, now Resume: a keyboard user carries on from there.
    expect(await page.locator(":focus").textContent()).toBe("Resume Spring lottery");
    // The rest of the page still works.
    expect(await page.locator("#chart-turns svg rect.bar").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, "admin-campaigns.png"), fullPage: true });
    await context.close();
  });

  it("pauses and resumes a real campaign through the Worker", async () => {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}/v1/admin/campaigns${path}`, { ...init, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" } });
    const created = await api("", { method: "POST", body: JSON.stringify(definition("e2e-panel", "Panel lottery")) });
    expect(created.status).toBe(201);
    const statusOf = async () => ((await (await api("/e2e-panel")).json()) as CampaignAnswer).adminStatus;

    const context = await newContext();
    const { page, errors } = await openPage(context);
    const panel = page.getByRole("region", { name: "Campaigns" });
    const lottery = row(page, "Panel lottery");
    await lottery.waitFor();
    expect(await lottery.getByRole("cell").allTextContents()).toEqual([
      "active",
      "0",
      "¥5 in cash: 0Parley socks: 0",
      "0 · ¥0.00",
      "0 · ¥0.00",
      "0 · ¥0.00",
      "¥1000.00 of ¥1000.00",
      "–",
      "Pause Panel lottery",
    ]);

    await page.getByRole("button", { name: "Pause Panel lottery" }).click();
    await page.getByRole("button", { name: "Resume Panel lottery" }).waitFor();
    expect(await statusOf()).toBe("paused");
    expect(await panel.getByRole("status").textContent()).toBe("Panel lottery paused: draws answer that it is closed.");

    await page.getByRole("button", { name: "Resume Panel lottery" }).click();
    await page.getByRole("button", { name: "Pause Panel lottery" }).waitFor();
    expect(await statusOf()).toBe("active");
    expect(await lottery.getByRole("cell").first().textContent()).toBe("active");
    expect(errors).toEqual([]);
    await context.close();
  });
});
