import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WidgetPage, launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

describe("chat widget in Chromium (wrangler dev)", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([DevServer.launch(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("sends a message and shows the bot's reply", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await expect.poll(() => WidgetPage.hasFocus(widget.input)).toBe(true);
    await widget.send("hello");
    await widget.waitForConfirmed(2);
    expect(await widget.bubbleTexts("user")).toEqual(["hello"]);
    expect((await widget.bubbleTexts("bot"))[0]).toMatch(/shoe shop assistant/);
    await context.close();
  });

  it("sends a quick reply when its button is clicked, and gives focus back to the text box", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await widget.send("hello");
    const checkStock = widget.quickReplies.getByRole("button", { name: "Check stock" });
    await checkStock.waitFor();
    await checkStock.click();
    await widget.waitForConfirmed(4);
    expect(await widget.bubbleTexts("user")).toEqual(["hello", "Check stock"]);
    await expect.poll(() => WidgetPage.hasFocus(widget.input)).toBe(true);
    await context.close();
  });

  it("reaches quick replies by keyboard: one Tab stop, arrow keys inside the toolbar", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await widget.send("hello");
    await widget.quickReplies.getByRole("button").first().waitFor();
    const toolbar = widget.quickReplies;
    await toolbar.getByRole("button").first().focus();
    await widget.page.keyboard.press("ArrowRight");
    await expect.poll(() => WidgetPage.hasFocus(toolbar.getByRole("button", { name: "Order status" }))).toBe(true);
    await widget.page.keyboard.press("End");
    await widget.page.keyboard.press("Enter");
    await widget.waitForConfirmed(4);
    expect((await widget.bubbleTexts("user")).at(-1)).toBe("Lottery");
    await context.close();
  });

  it("shows the conversation again, in order, after a reload", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await widget.send("hello");
    await widget.waitForConfirmed(2);
    await widget.send("where is my order?");
    await widget.waitForConfirmed(4);
    const before = await widget.bubbles();
    await widget.page.reload();
    await widget.openChat();
    await widget.waitForConfirmed(4);
    expect(await widget.bubbles()).toEqual(before);
    await context.close();
  });

  it("keeps two tabs of the same visitor in sync", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const tabA = await WidgetPage.open(context, server.url);
    await tabA.send("hello");
    await tabA.waitForConfirmed(2);
    const tabB = await WidgetPage.open(context, server.url);
    await tabB.waitForConfirmed(2);
    await tabB.send("do you have running shoes?");
    await tabA.waitForConfirmed(4);
    await tabB.waitForConfirmed(4);
    expect(await tabA.bubbles()).toEqual(await tabB.bubbles());
    expect(await tabA.bubbleTexts("user")).toEqual(["hello", "do you have running shoes?"]);
    await context.close();
  });

  it("shows markup as text and runs nothing", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    const attack = "<img src=x onerror=alert(1)>";
    await widget.send(attack);
    await widget.waitForConfirmed(2);
    await widget.page.waitForTimeout(300);
    expect(await widget.bubbleTexts("user")).toEqual([attack]);
    expect(await widget.log.locator("img").count()).toBe(0);
    expect(widget.dialogs).toEqual([]);
    await context.close();
  });

  it("speaks Chinese to a Chinese browser", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole("button", { name: "打开聊天" }).click();
    await page.getByRole("textbox", { name: "消息" }).fill("你好");
    await page.getByRole("textbox", { name: "消息" }).press("Enter");
    await expect.poll(() => page.getByRole("log").locator(".msg.bot .bubble").count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByRole("toolbar", { name: "快捷回复" }).getByRole("button").count()).toBeGreaterThan(0);
    await context.close();
  });

  it("closes with Escape and gives focus back to the launcher", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await widget.input.press("Escape");
    await expect.poll(() => WidgetPage.hasFocus(widget.launcher)).toBe(true);
    expect(await widget.launcher.getAttribute("aria-expanded")).toBe("false");
    await context.close();
  });
});
