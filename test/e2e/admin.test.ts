import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import type { Scope } from "../../src/security/scopes.js";
import { FAKE_SPEECH_API_KEY, FAKE_SPEECH_ORIGIN, createFakeOpenAiAudio, fakeRecording } from "../fakes/openai-audio.js";
import type { Directive } from "../fakes/openai-audio.js";
import { browserTestsEnabled, launchBrowser } from "./helpers/browser.js";
import { DevServer, freePort } from "./helpers/dev-server.js";

const ROOT = resolve(import.meta.dirname, "../..");
/** Screenshots of the page as a test saw it: CI keeps test-results/ as an artifact. */
const ARTIFACTS = join(ROOT, "test-results");

const tokenFor = async (userId: string, scopes: Scope[]) => (await signToken({ userId, scopes, ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET) })).token;

/** The fake OpenAI audio provider on a local port, for the voice jobs the page charts. */
async function startFakeSpeech(): Promise<{ server: Server; url: string }> {
  const fake = createFakeOpenAiAudio();
  const port = await freePort();
  const server = createServer(async (incoming: IncomingMessage, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
    const body = incoming.method === "GET" ? null : Buffer.concat(chunks);
    const answer = (await fake(new Request(`${FAKE_SPEECH_ORIGIN}${incoming.url ?? "/"}`, { method: incoming.method, headers, body }))) ?? new Response("", { status: 404 });
    outgoing.writeHead(answer.status, Object.fromEntries(answer.headers));
    outgoing.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  return { server, url: `http://127.0.0.1:${port}` };
}

/** Polls `probe` until it returns a value (expect.poll cannot run in beforeAll). */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

describe.runIf(browserTestsEnabled)("the /admin operations page (wrangler dev + Chromium)", () => {
  let speech: { server: Server; url: string };
  let server: DevServer;
  let browser: Browser;
  let admin: string;
  let turns = 0;

  const api = async (path: string, token: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    if (typeof init.body === "string") headers.set("content-type", "application/json");
    return fetch(`${server.url}${path}`, { ...init, headers });
  };

  const say = async (userId: string, texts: string[]) => {
    const token = await tokenFor(userId, ["chat"]);
    for (const text of texts) {
      const response = await api("/v1/messages", token, { method: "POST", body: JSON.stringify({ text }) });
      expect(response.status).toBe(200);
      turns++;
    }
  };

  const speak = async (userId: string, directive: Directive) => {
    const token = await tokenFor(userId, ["chat", "voice"]);
    const posted = await api("/v1/voice", token, { method: "POST", body: fakeRecording(directive), headers: { "content-type": "audio/wav" } });
    expect(posted.status).toBe(202);
    const { jobId } = (await posted.json()) as { jobId: string };
    const status = await waitFor(`voice job ${jobId}`, async () => {
      const { status } = (await (await api(`/v1/voice/${jobId}`, token)).json()) as { status: string };
      return status === "done" || status === "failed" ? status : undefined;
    }, 40_000);
    if (status === "done") turns++; // the transcript's dialog turn
  };

  /** Waits for the next minute: stats buckets are minutes, and a chart with one column says little. */
  const nextMinute = () => new Promise((done) => setTimeout(done, 60_000 - (Date.now() % 60_000) + 500));

  /**
   * Traffic for every chart, over three minutes: both cohorts, fallbacks, several intents,
   * voice jobs done and failed.
   */
  async function seed(): Promise<void> {
    const shop = JSON.parse(readFileSync(join(ROOT, "bots/shop.json"), "utf8")) as Record<string, unknown>;
    expect((await api("/v1/admin/bots/shop/versions/2", admin, { method: "PUT", body: JSON.stringify({ ...shop, version: "2" }) })).status).toBe(201);
    const rollout = { stable: "1", canary: { version: "2", suffixes: ["7"] } };
    expect((await api("/v1/admin/bots/shop/rollout", admin, { method: "PUT", body: JSON.stringify(rollout) })).status).toBe(200);
    await new Promise((done) => setTimeout(done, 2500)); // every isolate's cached rollout expires (ROLLOUT_TTL_MS)
    await say("ann", ["hello", "do you have running shoes in size 39?", "thanks"]);
    await say("dana-7", ["hello", "what's the weather like on Mars"]);
    await nextMinute();
    await say("bob", ["hello", "what's the weather like on Mars", "I want to talk to a human", "hello", "thanks"]);
    await say("carl", ["where is my order?", "goodbye"]);
    await say("dana-7", ["sing me a song", "lottery", "hello"]);
    await nextMinute();
    await say("erik-7", ["hello", "thanks"]);
    await say("finn", ["hello", "do you have canvas shoes?", "41", "thanks"]);
    await Promise.all([speak("vera", { say: "hello", key: "admin-1" }), speak("walt", { say: "thanks", key: "admin-2" }), speak("xena", { key: "admin-3", fail: "always" })]);
  }

  beforeAll(async () => {
    speech = await startFakeSpeech();
    [server, browser] = await Promise.all([
      DevServer.launch({
        SPEECH_PROVIDER: "openai",
        SPEECH_BASE_URL: speech.url,
        SPEECH_API_KEY: FAKE_SPEECH_API_KEY,
        VOICE_RETRY_BASE_SECONDS: "0",
        METRICS_FLUSH_MS: "500",
      }),
      launchBrowser(),
    ]);
    admin = await tokenFor("ops", ["admin"]);
    await seed();
    // Counts reach the aggregator shards in batches: wait until the stats show every turn.
    await waitFor("every turn in the stats", async () => {
      const stats = (await (await api("/v1/admin/stats?window=1h", admin)).json()) as { totals: { turns: { stable: number; canary: number }; deadLetters: number } };
      return stats.totals.turns.stable + stats.totals.turns.canary === turns && stats.totals.deadLetters === 1 ? true : undefined;
    }, 20_000);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await new Promise<void>((done) => (speech ? speech.server.close(() => done()) : done()));
  });

  /** Waits for every chart of the page to be drawn from the data. */
  async function chartsDrawn(page: Page): Promise<void> {
    await page.locator("#dashboard").waitFor();
    await page.locator("#chart-turns svg rect.bar").first().waitFor();
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
    const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, deviceScaleFactor: 1, colorScheme: "light" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
    await page.goto(`${server.url}/admin/#token=${admin}`);
    await chartsDrawn(page);
    // The token left the address bar at once (it is kept in session storage only).
    expect(new URL(page.url()).hash).toBe("");

    expect(await page.locator("#kpi-turns").textContent()).toBe(String(turns));
    const bars = (chart: string) => page.locator(`#${chart} svg rect.bar`).count();
    expect(await bars("chart-turns")).toBeGreaterThan(0);
    expect(await page.locator("#chart-turns svg rect.bar title").allTextContents()).toContainEqual(expect.stringMatching(/canary [1-9]/));
    expect(await page.locator("#chart-latency svg path.series-line").count()).toBe(2);
    expect(await page.locator("#chart-latency svg circle").count()).toBeGreaterThan(0);
    const fallbackTitles = await page.locator("#chart-fallbacks svg circle title").allTextContents();
    expect(fallbackTitles.some((title) => / stable \d/.test(title))).toBe(true);
    expect(fallbackTitles.some((title) => / canary \d/.test(title))).toBe(true);
    const intents = await page.locator("#chart-intents svg text.hbar-label").allTextContents();
    expect(intents[0]).toBe("greet");
    expect(intents).toEqual(expect.arrayContaining(["none", "handoff", "check_stock"]));
    expect(await page.locator("#chart-voice svg rect.bar title").allTextContents()).toEqual(["queued: 3", "transcribing: 3", "replying: 2", "synthesizing: 2", "done: 2", "failed: 1"]);
    expect(await page.locator("#voice-now").textContent()).toMatch(/\d+ retries · 1 dead letters/);
    expect(await page.locator("#kpi-hits").textContent()).toMatch(/^\d+(\.\d)?%$/);
    expect(await page.locator(".chart .empty").count()).toBe(0);
    expect(errors).toEqual([]);

    await page.getByRole("button", { name: "15 min" }).click();
    await expect.poll(() => page.locator("#chart-turns [data-unit]").textContent()).toBe("per minute");
    await chartsDrawn(page);
    expect(await page.locator("#chart-turns svg rect.bar").count()).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: join(ARTIFACTS, "admin.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(ARTIFACTS, "admin-dark.png"), fullPage: true });
    await context.close();
  });

  it("asks for a token, refuses one without the admin scope, and redraws for another window", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    const field = page.getByLabel("Token");
    await field.waitFor();
    await field.fill(await tokenFor("someone", ["chat"]));
    await page.getByRole("button", { name: "Show the dashboard" }).click();
    await expect.poll(() => page.locator("#login-error").textContent()).toMatch(/lacks the admin scope/);

    await field.fill(admin);
    await page.getByRole("button", { name: "Show the dashboard" }).click();
    await chartsDrawn(page);
    const hourly = await page.locator("#chart-turns svg rect.bar").count();
    await page.getByRole("button", { name: "24 hours" }).click();
    await expect.poll(() => page.locator("#chart-turns [data-unit]").textContent()).toBe("per 15 min");
    expect(await page.getByRole("button", { name: "24 hours" }).getAttribute("aria-pressed")).toBe("true");
    expect(await page.locator("#chart-turns svg rect.bar").count()).toBeLessThanOrEqual(hourly);
    expect(await page.locator("#kpi-turns").textContent()).toBe(String(turns));
    await context.close();
  });
});
