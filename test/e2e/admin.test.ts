import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatsAnswer, StatsWindow } from "../../src/protocol/metrics.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import type { Scope } from "../../src/security/scopes.js";
import { adminStats } from "../fixtures/admin-traffic.js";
import { launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

const ROOT = resolve(import.meta.dirname, "../..");
/** Screenshots of the page as a test saw it: CI keeps test-results/ as an artifact. */
const ARTIFACTS = join(ROOT, "test-results");

/** The page's own formatting (public/admin/chart-scale.js), to say what a number looks like on it. */
interface ChartScale {
  formatCount(value: number): string;
  formatPercent(ratio: number | null | undefined): string;
}
const scale = (await import(new URL("../../public/admin/chart-scale.js", import.meta.url).href)) as ChartScale;

const tokenFor = async (userId: string, scopes: Scope[]) => (await signToken({ userId, scopes, ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET) })).token;

/** `hh:mm` of a bucket as the page labels it, in the browser's time zone (UTC here). */
const clock = (epochMs: number) => new Date(epochMs).toISOString().slice(11, 16);

/** The tooltip of every turns column the page should draw: one per cohort with turns in a bucket. */
function turnColumns(stats: StatsAnswer): string[] {
  return stats.buckets.flatMap((bucket) => {
    const text = `${clock(bucket.start)} — stable ${scale.formatCount(bucket.turns.stable)}, canary ${scale.formatCount(bucket.turns.canary)}`;
    return (["stable", "canary"] as const).filter((cohort) => bucket.turns[cohort] > 0).map(() => text);
  });
}

/** The tooltip of every point of the fallback-rate chart: a line per cohort, through the buckets with turns. */
function fallbackPoints(stats: StatsAnswer): string[] {
  return (["stable", "canary"] as const).flatMap((cohort) =>
    stats.buckets
      .filter((bucket) => bucket.fallbackRate[cohort] !== null)
      .map((bucket) => `${clock(bucket.start)} — ${cohort} ${scale.formatPercent(bucket.fallbackRate[cohort])}`),
  );
}

/**
 * The /admin page on `wrangler dev` (served as a static asset, with its real headers) in
 * Chromium. Its stats are fixed: GET /v1/admin/stats with the admin token is answered from
 * test/fixtures/admin-traffic.ts (what the Worker answers for that traffic is checked by
 * test/worker/metrics/admin-stats.test.ts), so the page draws at once, with no traffic to
 * wait for. Other tokens reach the Worker, which refuses them.
 */
describe("the /admin operations page (wrangler dev + Chromium)", () => {
  let server: DevServer;
  let browser: Browser;
  let admin: string;
  const sentAt = Date.now();

  beforeAll(async () => {
    [server, browser, admin] = await Promise.all([DevServer.launch(), launchBrowser(), tokenFor("ops", ["admin"])]);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** A page whose stats requests with the admin token get the fixture, in UTC, collecting errors. */
  async function openPage(context: BrowserContext, path: string): Promise<{ page: Page; errors: string[] }> {
    await context.route(
      (url) => url.pathname === "/v1/admin/stats",
      async (route: Route) => {
        if (route.request().headers()["authorization"] !== `Bearer ${admin}`) return route.continue();
        const window = (new URL(route.request().url()).searchParams.get("window") ?? "1h") as StatsWindow;
        await route.fulfill({ json: adminStats(window, Date.now(), sentAt) });
      },
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
    await page.goto(`${server.url}${path}`);
    return { page, errors };
  }

  /** Waits for the turns chart to be drawn for `window`. */
  async function chartsDrawn(page: Page, window: StatsWindow): Promise<StatsAnswer> {
    await page.locator("#dashboard").waitFor();
    await page.locator("#chart-turns svg rect.bar").first().waitFor();
    return adminStats(window, Date.now(), sentAt);
  }

  it("is a static page: served from public/admin, not by the Worker", async () => {
    const response = await fetch(`${server.url}/admin/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("x-request-id")).toBeNull();
    // It holds an admin token: only its own scripts run, and no other site may frame it.
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    expect(await response.text()).toContain("Parley");
  });

  it("draws turns, latency, fallback rate by cohort, intents and voice jobs from the stats", async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, deviceScaleFactor: 1, colorScheme: "light", timezoneId: "UTC" });
    const { page, errors } = await openPage(context, `/admin/#token=${admin}`);
    const stats = await chartsDrawn(page, "1h");
    // The token left the address bar at once (it is kept in session storage only).
    expect(new URL(page.url()).hash).toBe("");

    const { totals } = stats;
    expect(await page.locator("#kpi-turns").textContent()).toBe(scale.formatCount(totals.turns.stable + totals.turns.canary));
    expect(await page.locator("#chart-turns svg rect.bar title").allTextContents()).toEqual(turnColumns(stats));
    expect(await page.locator("#chart-latency svg path.series-line").count()).toBe(2);
    const measured = stats.buckets.filter((bucket) => bucket.latencyMs.p50 !== null).length;
    expect(await page.locator("#chart-latency svg circle").count()).toBe(2 * measured);
    expect(await page.locator("#chart-fallbacks svg circle title").allTextContents()).toEqual(fallbackPoints(stats));
    expect(await page.locator("#chart-intents svg text.hbar-label").allTextContents()).toEqual(totals.intents.slice(0, 8).map((item) => item.intent));
    expect(await page.locator("#chart-voice svg rect.bar title").allTextContents()).toEqual([
      "queued: 3",
      "transcribing: 3",
      "replying: 2",
      "synthesizing: 2",
      "done: 2",
      "failed: 1",
    ]);
    expect(await page.locator("#voice-now").textContent()).toBe("3 retries · 1 dead letters · waiting now: ASR 0, TTS 0");
    expect(await page.locator("#kpi-hits").textContent()).toBe(scale.formatPercent(totals.actorHitRatio));
    expect(await page.locator("#kpi-errors").textContent()).toBe("1 answered 5xx");
    expect(await page.locator(".chart .empty").count()).toBe(0);
    expect(errors).toEqual([]);

    await page.getByRole("button", { name: "15 min" }).click();
    await expect.poll(() => page.locator("#chart-turns [data-unit]").textContent()).toBe("per minute");
    const quarter = await chartsDrawn(page, "15m");
    await expect.poll(() => page.locator("#chart-turns svg rect.bar title").allTextContents()).toEqual(turnColumns(quarter));
    await page.screenshot({ path: join(ARTIFACTS, "admin.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(ARTIFACTS, "admin-dark.png"), fullPage: true });
    await context.close();
  });

  it("asks for a token, refuses one without the admin scope, and redraws for another window", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, timezoneId: "UTC" });
    const { page } = await openPage(context, "/admin");
    const field = page.getByLabel("Token");
    await field.waitFor();
    await field.fill(await tokenFor("someone", ["chat"]));
    await page.getByRole("button", { name: "Show the dashboard" }).click();
    await expect.poll(() => page.locator("#login-error").textContent()).toMatch(/lacks the admin scope/);

    await field.fill(admin);
    await page.getByRole("button", { name: "Show the dashboard" }).click();
    await chartsDrawn(page, "1h");
    await page.getByRole("button", { name: "24 hours" }).click();
    await expect.poll(() => page.locator("#chart-turns [data-unit]").textContent()).toBe("per 15 min");
    expect(await page.getByRole("button", { name: "24 hours" }).getAttribute("aria-pressed")).toBe("true");
    const day = adminStats("24h", Date.now(), sentAt);
    await expect.poll(() => page.locator("#chart-turns svg rect.bar title").allTextContents()).toEqual(turnColumns(day));
    expect(await page.locator("#kpi-turns").textContent()).toBe(scale.formatCount(day.totals.turns.stable + day.totals.turns.canary));
    await context.close();
  });
});
