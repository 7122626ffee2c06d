import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import { FAKE_LLM_MODEL, FAKE_LLM_ORIGIN, createFakeOpenAiChat } from "../fakes/openai-chat.js";
import type { LoopbackServer } from "../fakes/serve-on-loopback.js";
import { serveOnLoopback } from "../fakes/serve-on-loopback.js";
import { WidgetPage, launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";
import { readLog, recordLog } from "./helpers/log-recorder.js";

/**
 * Streamed replies in the widget, end to end: `wrangler dev` with LLM_BASE_URL at the fake
 * OpenAI-compatible server (test/fakes/openai-chat.ts, on a loopback port of this process),
 * the shop published with an `llm` section, and Chromium. Words the shop does not know go to
 * its fallback, which the model rewrites: the fake's rule says what it writes, how fast.
 */

const VERSION = "stream-e2e";
const SHOP = JSON.parse(readFileSync(new URL("../../bots/shop.json", import.meta.url), "utf8")) as { fallback: { text: { en: string } } };
const SCRIPTED_FALLBACK = SHOP.fallback.text.en;
/** Nothing in the shop's intents, knowledge or small talk: the fallback, written by the model. */
const UNKNOWN = "zebra umbrella quantum";

const REPLY =
  "Our canvas sneakers are cut from organic cotton, stitched in Porto, and come in eleven colours from chalk to midnight blue; " +
  "they run true to size, so pick your usual one.";
const LONG_REPLY = `${REPLY} ${REPLY.replace("canvas sneakers", "leather loafers")}`;

describe("streamed bot replies in the widget (wrangler dev, fake model, Chromium)", () => {
  let model: LoopbackServer;
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    model = await serveOnLoopback(createFakeOpenAiChat(), { origin: FAKE_LLM_ORIGIN });
    [server, browser] = await Promise.all([DevServer.launch({ LLM_BASE_URL: model.url }), launchBrowser()]);
    await publishShopWithModel(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await model?.close();
  });

  /** What the fake model answers next (one rule for every request: this file runs its own fake). */
  async function modelWrites(reply: string, chunkDelayMs: number): Promise<void> {
    await fetch(`${model.url}/__fake/rules`, { method: "DELETE" });
    const response = await fetch(`${model.url}/__fake/rules`, { method: "POST", body: JSON.stringify({ reply, firstTokenDelayMs: 100, chunkDelayMs }) });
    expect(response.status).toBe(200);
  }

  it("shows the reply piece by piece in one bubble, then as one final message, announced once", async () => {
    await modelWrites(REPLY, 150);
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await recordLog(widget.page);
    await widget.send(UNKNOWN);
    await widget.log.locator(".msg.streaming .bubble").waitFor();
    // Screen readers are not read the reply while it grows: it is not in the accessibility tree.
    expect(await widget.log.ariaSnapshot()).not.toContain(REPLY.slice(0, 12));
    expect(await widget.page.getByText("Assistant is typing…").isVisible()).toBe(false);
    await widget.waitForConfirmed(2);

    expect(await widget.bubbleTexts("bot")).toEqual([REPLY]);
    expect(await widget.log.locator(".msg.streaming").count()).toBe(0);
    const record = await readLog(widget.page);
    expect(record.streamElements).toBe(1);
    expect(record.streamed.length).toBeGreaterThanOrEqual(3);
    expectGrowingPrefixes(record.streamed, REPLY);
    expect(record.announced.filter((text) => text.includes(REPLY.slice(0, 12)))).toEqual([`Assistant: ${REPLY}`]);
    expect(await widget.log.ariaSnapshot()).toContain(REPLY);
    await context.close();
  });

  it("after a reload in the middle of a reply, shows the text so far, then the whole reply exactly once", async () => {
    await modelWrites(LONG_REPLY, 150);
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await widget.send(UNKNOWN);
    const streaming = widget.log.locator(".msg.streaming .bubble");
    await streaming.waitFor({ timeout: 15_000 });
    await expect.poll(async () => ((await streaming.textContent()) ?? "").length, { timeout: 15_000 }).toBeGreaterThan(40);

    await widget.page.reload();
    await widget.openChat();
    await streaming.waitFor({ timeout: 15_000 });
    const soFar = (await streaming.textContent()) ?? "";
    expect(soFar.length).toBeGreaterThan(40);
    expect(LONG_REPLY.startsWith(soFar)).toBe(true);
    expect(soFar.length).toBeLessThan(LONG_REPLY.length);
    await recordLog(widget.page);
    await widget.waitForConfirmed(2, 30_000);

    expect(await widget.bubbleTexts("user")).toEqual([UNKNOWN]);
    expect(await widget.bubbleTexts("bot")).toEqual([LONG_REPLY]);
    expect(await widget.log.locator(".msg.streaming").count()).toBe(0);
    const record = await readLog(widget.page);
    expect(record.streamed.length).toBeGreaterThan(0);
    expectGrowingPrefixes(record.streamed, LONG_REPLY);
    expect(record.announced.filter((text) => text.includes(REPLY.slice(0, 12)))).toEqual([`Assistant: ${LONG_REPLY}`]);
    await context.close();
  });

  it("replaces a streamed reply that fails the output check with the scripted answer, leaving no trace of it", async () => {
    const banned = "Honestly, for that pair you should look at what our rival sells.";
    await modelWrites(banned, 100);
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await recordLog(widget.page);
    await widget.send(UNKNOWN);
    await widget.waitForConfirmed(2);

    expect(await widget.bubbleTexts("bot")).toEqual([SCRIPTED_FALLBACK]);
    const record = await readLog(widget.page);
    expect(record.streamed.length).toBeGreaterThanOrEqual(1);
    expectGrowingPrefixes(record.streamed, banned);
    expect((await widget.bubbles()).join(" ")).not.toContain("Honestly");
    expect(record.announced.filter((text) => text.startsWith("Assistant: "))).toEqual([`Assistant: ${SCRIPTED_FALLBACK}`]);
    await context.close();
  });
});

/** Each text shown is longer than the one before and a beginning of the reply. */
function expectGrowingPrefixes(texts: readonly string[], reply: string): void {
  for (const [index, text] of texts.entries()) {
    expect(reply.startsWith(text), `streamed text ${index} is not a beginning of the reply: ${JSON.stringify(text)}`).toBe(true);
    if (index > 0) expect(text.length).toBeGreaterThan(texts[index - 1]?.length ?? 0);
  }
}

/** Publishes the shop with an `llm` section as the stable version, and waits until a new conversation gets it. */
async function publishShopWithModel(origin: string): Promise<void> {
  const admin = (await signToken({ userId: "stream-e2e-admin", scopes: ["admin"], ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET) })).token;
  const llm = {
    model: FAKE_LLM_MODEL,
    understand: false,
    generate: { knowledge: true, fallback: true },
    prompts: { system: { en: "You are the shoe shop's assistant.", zh: "你是鞋店的客服。" } },
    bannedPhrases: ["rival"],
    limits: { firstTokenMs: 10_000, totalMs: 30_000 },
  };
  await adminPut(origin, admin, `/v1/admin/bots/shop/versions/${VERSION}`, { ...SHOP, version: VERSION, llm });
  await adminPut(origin, admin, "/v1/admin/bots/shop/rollout", { stable: VERSION });
  const guest = ((await (await fetch(`${origin}/v1/sessions/anonymous`, { method: "POST" })).json()) as { token: string }).token;
  // Every isolate follows a rollout change within its TTL (2 s by default).
  const deadline = Date.now() + 15_000;
  for (let turn = 0; ; turn++) {
    const response = await fetch(`${origin}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${guest}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "hello", clientMessageId: `rollout-${turn}` }),
    });
    const { botVersion } = (await response.json()) as { botVersion?: string };
    if (botVersion === VERSION) return;
    if (Date.now() > deadline) throw new Error(`the shop still answers as version ${botVersion} 15 s after the rollout to ${VERSION}`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

async function adminPut(origin: string, token: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(origin + path, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
}
