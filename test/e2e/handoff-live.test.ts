import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import { WidgetPage, launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

/**
 * A human handoff end to end, as the two people see it: a shopper in the chat widget on the demo
 * page and an agent on /agent, each in a browser of their own (`npm run dev`). They exchange
 * messages live, each reloads once mid-conversation, and the agent hands back to the bot.
 * Agent page selectors: test/e2e/agent-page.test.ts.
 */
describe("a shopper's widget and an agent's page, live (two browsers, wrangler dev)", () => {
  let server: DevServer;
  let shopperBrowser: Browser;
  let agentBrowser: Browser;

  beforeAll(async () => {
    [server, shopperBrowser, agentBrowser] = await Promise.all([DevServer.launch(), launchBrowser(), launchBrowser()]);
  });

  afterAll(async () => {
    await Promise.all([shopperBrowser?.close(), agentBrowser?.close()]);
    await server?.dispose();
  });

  it("exchange messages live, survive a reload on each side, and the bot takes over again", async () => {
    const agentToken = (await signToken({ userId: "anna", scopes: ["agent"], ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET), name: "Anna" })).token;
    const errors: string[] = [];
    const agentPage = await (await agentBrowser.newContext({ locale: "en-US" })).newPage();
    agentPage.on("pageerror", (error) => errors.push(`agent: ${String(error)}`));
    await agentPage.goto(`${server.url}/agent/#token=${agentToken}`);
    const queue = agentPage.getByRole("region", { name: "shop / general" });
    await queue.getByText("live").waitFor({ timeout: 15_000 });

    const shopper = await WidgetPage.open(await shopperBrowser.newContext({ locale: "en-US" }), server.url);
    shopper.page.on("pageerror", (error) => errors.push(`shopper: ${String(error)}`));
    await shopper.send("human please");
    await shopper.log.locator(".msg.bot .bubble").filter({ hasText: "You're number 1 in line" }).waitFor({ timeout: 15_000 });

    await queue.getByTestId("waiting-entry").waitFor({ timeout: 15_000 });
    await queue.getByRole("button", { name: /^Claim #1/ }).click();
    await shopper.log.locator(".msg.system .bubble").filter({ hasText: "Anna joined the chat" }).waitFor({ timeout: 15_000 });

    await shopper.send("my order A1001 is late");
    const conversation = () => agentPage.getByRole("region", { name: /^Conversation / });
    const agentLog = () => conversation().getByRole("log", { name: "Messages with the customer" });
    await agentLog().getByText("Customer: my order A1001 is late").waitFor({ timeout: 15_000 });

    // The agent reloads mid-conversation: the held conversation is still theirs, with its history.
    await agentPage.reload();
    await agentLog().getByText("Customer: my order A1001 is late").waitFor({ timeout: 15_000 });
    const box = conversation().getByRole("textbox", { name: "Reply to the customer" });
    await box.fill("Sorry about that, I'm checking A1001 now.");
    await box.press("Enter");
    const agentBubble = shopper.log.locator(".msg.agent").filter({ hasText: "checking A1001" });
    await agentBubble.waitFor({ timeout: 15_000 });
    expect(await agentBubble.locator(".name").textContent()).toBe("Anna (agent)");

    // The shopper reloads: the same guest, the agent's message replayed once, and the chat goes on.
    await shopper.page.reload();
    await shopper.openChat();
    await shopper.log.locator(".msg.agent").first().waitFor({ timeout: 15_000 });
    expect(await shopper.log.locator(".msg.agent .bubble").allTextContents()).toEqual(["Sorry about that, I'm checking A1001 now."]);
    await shopper.send("ok, thank you");
    await agentLog().getByText("Customer: ok, thank you").waitFor({ timeout: 15_000 });

    await conversation().getByRole("button", { name: "End conversation" }).click();
    await shopper.log.locator(".msg.system .bubble").filter({ hasText: "Anna left the chat" }).waitFor({ timeout: 15_000 });
    await shopper.send("hello");
    await shopper.log.locator(".msg.bot .bubble").filter({ hasText: "shoe shop assistant" }).last().waitFor({ timeout: 15_000 });
    // One agent message in all, in the widget as in the agent's view of it.
    expect(await shopper.log.locator(".msg.agent").count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
