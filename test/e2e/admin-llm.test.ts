import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import shop from "../../bots/shop.json";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import type { Scope } from "../../src/security/scopes.js";
import { FAKE_LLM_MODEL, FAKE_LLM_ORIGIN, createFakeOpenAiChat } from "../fakes/openai-chat.js";
import type { LoopbackServer } from "../fakes/serve-on-loopback.js";
import { serveOnLoopback } from "../fakes/serve-on-loopback.js";
import { launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

const ARTIFACTS = join(resolve(import.meta.dirname, "../.."), "test-results");
const EMPTY = "No language model calls in this window — bots without an llm section answer from their rules";
const QUESTION = "how do I return my shoes";
const WRITTEN = "Send them back within 30 days, free of charge: https://shop.example/returns";

const tokenFor = async (userId: string, scopes: Scope[]) => (await signToken({ userId, scopes, ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET) })).token;

/**
 * The "Language model" panel of /admin on `wrangler dev` in Chromium, against the Worker's real
 * stats: the dev server's model is the fake OpenAI-compatible server on a loopback port. Before
 * any call the panel says so; after a shopper's knowledge question answered by the model, it
 * shows that call, its tokens and first token, and the generated reply.
 */
describe("the /admin language model panel (wrangler dev + fake model + Chromium)", () => {
  let model: LoopbackServer;
  let server: DevServer;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    model = await serveOnLoopback(createFakeOpenAiChat(), { origin: FAKE_LLM_ORIGIN });
    [server, browser, admin] = await Promise.all([
      // Counts reach the shards at once, and a new rollout within a tenth of a second.
      DevServer.launch({ LLM_BASE_URL: model.url, METRICS_FLUSH_MS: "200", ROLLOUT_TTL_MS: "100" }),
      launchBrowser(),
      tokenFor("ops", ["admin"]),
    ]);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await model?.close();
  });

  const api = (path: string, token: string, init: { method: string; json: unknown }) =>
    fetch(`${server.url}${path}`, {
      method: init.method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(init.json),
    });

  /** The shop with an llm section on the fake model, published and made stable through the admin API. */
  async function publishLlmShop(): Promise<void> {
    const definition = {
      ...shop,
      version: "llm-1",
      llm: { model: FAKE_LLM_MODEL, prompts: { system: { en: "You are the shoe shop's assistant.", zh: "你是鞋店的助手。" } }, allowedHosts: ["shop.example"] },
    };
    expect((await api("/v1/admin/bots/shop/versions/llm-1", admin, { method: "PUT", json: definition })).status).toBe(201);
    expect((await api("/v1/admin/bots/shop/rollout", admin, { method: "PUT", json: { stable: "llm-1" } })).status).toBe(200);
    await new Promise((done) => setTimeout(done, 300));
  }

  async function openPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
    await page.goto(`${server.url}/admin/#token=${admin}`);
    await page.locator("#dashboard").waitFor();
    return { page, errors };
  }

  const figureRow = (page: Page, figure: string) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: figure, exact: true }) });

  it("says no model was called, then shows the call, tokens, first token and generated reply of a real turn", async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 1600 }, timezoneId: "UTC", colorScheme: "light" });
    const { page, errors } = await openPage(context);
    const panel = page.getByRole("region", { name: "Language model" });
    await expect.poll(() => panel.locator(".llm-empty").textContent()).toBe(EMPTY);
    expect(await panel.getByRole("table").count()).toBe(0);

    await publishLlmShop();
    await fetch(`${model.url}/__fake/rules`, { method: "POST", body: JSON.stringify({ match: QUESTION, reply: WRITTEN }) });
    const shopper = await tokenFor("e2e-llm-shopper", ["chat"]);
    const turn = await api("/v1/messages", shopper, { method: "POST", json: { text: QUESTION, clientMessageId: "q1" } });
    expect(turn.status).toBe(200);
    expect(await turn.json()).toMatchObject({ reply: { text: WRITTEN }, botVersion: "llm-1" });

    // The page reads the stats again whenever a window is chosen.
    await expect
      .poll(async () => {
        await page.getByRole("button", { name: "15 min" }).click();
        return figureRow(page, "Calls").getByRole("cell").allTextContents();
      })
      .toEqual(["1", "1 ok · 0 failed (0%)"]);
    const figures = panel.getByRole("table", { name: /Calls, tokens, time to first token/ });
    expect(await figures.getByRole("columnheader").allTextContents()).toEqual(["Figure", "Value", "Made of"]);
    expect(await figureRow(page, "Replies").getByRole("cell").allTextContents()).toEqual(["1", "1 generated · 0 scripted (100% generated)"]);
    expect(await figureRow(page, "Commands proposed").getByRole("cell").allTextContents()).toEqual(["0", "0 accepted · 0 dropped"]);
    const [tokens, tokenDetail] = await figureRow(page, "Tokens").getByRole("cell").allTextContents();
    expect(Number(tokens)).toBeGreaterThan(0);
    expect(tokenDetail).toMatch(/^\d+ in · \d+ out$/);
    expect((await figureRow(page, "Time to first token").getByRole("cell").allTextContents())[0]).toMatch(/^\d+(\.\d)? m?s \/ \d+(\.\d)? m?s$/);
    expect(
      await panel
        .getByRole("table", { name: /Why calls failed/ })
        .getByRole("cell")
        .allTextContents(),
    ).toEqual(["No call failed and no reply was scripted."]);
    expect(await panel.locator(".chart svg rect.bar").count()).toBe(1);
    expect(await panel.getByRole("status").textContent()).toBe("1 call · 0 failed · 100% of replies generated");
    expect(await panel.locator(".llm-empty").isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await panel.screenshot({ path: join(ARTIFACTS, "admin-llm.png") });
    await context.close();
  });
});
