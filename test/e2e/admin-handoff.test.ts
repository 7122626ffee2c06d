import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueueStats } from "../../src/handoff/stats.js";
import type { AdminHandoffAnswer } from "../../src/protocol/admin-handoff.js";
import { adminHandoffAnswerSchema } from "../../src/protocol/admin-handoff.js";
import type { StatsWindow } from "../../src/protocol/metrics.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import { adminStats } from "../fixtures/admin-traffic.js";
import { launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

const ARTIFACTS = join(resolve(import.meta.dirname, "../.."), "test-results");

const tokenFor = async (userId: string, scope: "admin" | "chat") =>
  (await signToken({ userId, scopes: [scope], ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET) })).token;

const stats = (figures: Partial<QueueStats>): QueueStats => ({
  waiting: 0,
  waitP50Seconds: null,
  waitP90Seconds: null,
  handled: 0,
  abandoned: 0,
  tickets: 0,
  agentsOnline: 0,
  satisfaction: null,
  ratings: 0,
  ...figures,
});

/**
 * The "Human handoff" panel of /admin on `wrangler dev` in Chromium: once with a fixed answer
 * (every figure it shows), once against the Worker (a shopper who asked for a human with nobody
 * online left a ticket, and the panel counts it).
 */
describe("the /admin human handoff panel (wrangler dev + Chromium)", () => {
  let server: DevServer;
  let browser: Browser;
  let admin: string;
  const sentAt = Date.now();

  beforeAll(async () => {
    [server, browser, admin] = await Promise.all([DevServer.launch(), launchBrowser(), tokenFor("ops", "admin")]);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

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

  const newContext = () => browser.newContext({ viewport: { width: 1360, height: 1400 }, timezoneId: "UTC", colorScheme: "light" });
  const row = (page: Page, queue: string) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: queue }) });

  it("shows each queue's figures in an accessible table, and says where people wait with no agent online", async () => {
    const answer: AdminHandoffAnswer = adminHandoffAnswerSchema.parse({
      generatedAt: Date.now(),
      queues: [
        {
          bot: "shop",
          queue: "general",
          stats: stats({
            waiting: 3,
            agentsOnline: 2,
            waitP50Seconds: 42,
            waitP90Seconds: 125,
            handled: 17,
            abandoned: 2,
            tickets: 1,
            satisfaction: 4.33,
            ratings: 6,
          }),
        },
        { bot: "shop", queue: "orders", stats: stats({ waiting: 2 }) },
      ],
      unreachable: [],
    });
    const context = await newContext();
    await context.route(
      (url) => url.pathname === "/v1/admin/handoff",
      (route: Route) => route.fulfill({ json: answer }),
    );
    const { page, errors } = await openPage(context);
    const panel = page.getByRole("region", { name: "Human handoff" });
    const table = panel.getByRole("table", { name: /Conversations waiting for an agent/ });
    await row(page, "general").waitFor();
    expect(await table.getByRole("columnheader").allTextContents()).toEqual([
      "Queue",
      "Waiting now",
      "Agents online",
      "Wait p50 / p90",
      "Handled",
      "Abandoned",
      "Tickets",
      "Satisfaction",
    ]);
    expect(await row(page, "general").getByRole("cell").allTextContents()).toEqual(["3", "2", "42 s / 2 min 5 s", "17", "2", "1", "4.3 / 5 (6)"]);
    expect(await row(page, "orders").getByRole("cell").allTextContents()).toEqual(["2", "0", "– / –", "0", "0", "0", "–"]);
    await expect.poll(() => panel.getByRole("status").textContent()).toBe("5 waiting in 2 queues · 1 with people waiting and no agent online");
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, "admin-handoff.png"), fullPage: true });
    await context.close();
  });

  it("counts a ticket a real shopper left when nobody was online", async () => {
    const shopper = await tokenFor("e2e-handoff-shopper", "chat");
    const say = (text: string, id: string) =>
      fetch(`${server.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${shopper}`, "content-type": "application/json" },
        body: JSON.stringify({ text, clientMessageId: id }),
      });
    expect((await say("human please", "h1")).status).toBe(200);
    expect((await say("please call me back about order 1234", "h2")).status).toBe(200);

    const context = await newContext();
    const { page, errors } = await openPage(context);
    const general = row(page, "general");
    await general.waitFor();
    expect(await general.getByRole("cell").allTextContents()).toEqual(["0", "0", "– / –", "0", "0", "1", "–"]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
