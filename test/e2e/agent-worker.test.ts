import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import type { Scope } from "../../src/security/scopes.js";
import { launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

/**
 * The /agent page against the Worker itself (`npm run dev`): a shopper, over REST, asks for a
 * human; the agent's page sees them wait, claims, reads the history, replies, hears back, and
 * ends. Selectors: see agent-page.test.ts.
 */

interface Message {
  role: string;
  text: string;
  author?: { id: string; name: string };
}

const tokenOf = async (userId: string, scopes: Scope[], name?: string) =>
  (await signToken({ userId, scopes, ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET), ...(name ? { name } : {}) })).token;

describe("the /agent page against the Worker (wrangler dev + Chromium)", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([DevServer.launch(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("claims a waiting shopper, replies under the agent's name, hears back, and hands back to the bot", async () => {
    const [agent, shopper] = await Promise.all([tokenOf("anna", ["agent"], "Anna"), tokenOf("shopper-e2e", ["chat"])]);
    const say = async (text: string, clientMessageId: string) => {
      const response = await fetch(`${server.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${shopper}`, "content-type": "application/json" },
        body: JSON.stringify({ text, clientMessageId }),
      });
      expect(response.status).toBe(200);
    };
    const history = async (): Promise<Message[]> => {
      const response = await fetch(`${server.url}/v1/conversation/messages?after=0&limit=200`, { headers: { authorization: `Bearer ${shopper}` } });
      return ((await response.json()) as { messages: Message[] }).messages;
    };

    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${server.url}/agent/#token=${agent}`);
    const queue = page.getByRole("region", { name: "shop / general" });
    await queue.getByText("live").waitFor({ timeout: 15_000 });

    await say("hello", "e2e-1");
    await say("I want to talk to a human", "e2e-2");
    await queue.getByTestId("waiting-entry").waitFor({ timeout: 15_000 });
    expect(await queue.getByTestId("waiting-entry").textContent()).toContain("Customer: I want to talk to a human");

    await queue.getByRole("button", { name: /^Claim #1/ }).click();
    const panel = page.getByRole("region", { name: /^Conversation / });
    const log = panel.getByRole("log", { name: "Messages with the customer" });
    await log.getByText("Customer: hello").waitFor({ timeout: 15_000 });

    const box = panel.getByRole("textbox", { name: "Reply to the customer" });
    await box.fill("Hi, this is Anna. Let me check.");
    await box.press("Enter");
    await panel.locator("[data-state=sent]").filter({ hasText: "Let me check" }).waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => (await history()).filter((message) => message.role === "agent"))
      .toEqual([expect.objectContaining({ text: "Hi, this is Anna. Let me check.", author: { id: "anna", name: "Anna" } })]);

    await say("thanks, it is order A1001", "e2e-3");
    await log.getByText("Customer: thanks, it is order A1001").waitFor({ timeout: 15_000 });

    await panel.getByRole("button", { name: "End conversation" }).click();
    await page.getByTestId("announcer").filter({ hasText: "ended" }).waitFor();
    expect(await panel.count()).toBe(0);
    await expect.poll(async () => (await history()).at(-1)?.role).toBe("bot");
    expect((await history()).filter((message) => message.role === "agent")).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
