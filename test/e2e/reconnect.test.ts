import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WidgetPage, launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

interface HistoryMessage {
  seq: number;
  role: "user" | "bot";
  text: string;
}

describe("chat widget across outages (wrangler dev + Chromium)", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([DevServer.launch(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  async function history(token: string): Promise<HistoryMessage[]> {
    const response = await fetch(`${server.url}/v1/conversation/messages?after=0&limit=200`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { messages: HistoryMessage[] }).messages;
  }

  it("delivers, exactly once and in order, what was typed while the server was down", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await widget.send("hello");
    await widget.waitForConfirmed(2);

    await server.stop();
    await widget.page.getByRole("status").filter({ hasText: /Reconnecting/ }).waitFor({ timeout: 15_000 });
    await widget.send("where is my order?");
    await widget.send("do you have running shoes?");
    await expect.poll(() => widget.log.locator(".msg.pending").count()).toBe(2);
    expect(await widget.log.locator(".msg.pending .note").first().textContent()).toBe("Sending…");

    await server.start();
    await widget.waitForConfirmed(6, 45_000);
    await widget.page.waitForTimeout(500);

    const users = ["hello", "where is my order?", "do you have running shoes?"];
    expect(await widget.bubbleTexts("user")).toEqual(users);
    expect(await widget.log.locator(".msg.pending").count()).toBe(0);
    const stored = await history(await widget.guestToken());
    expect(stored.filter((message) => message.role === "user").map((message) => message.text)).toEqual(users);
    expect(stored.map((message) => message.role)).toEqual(["user", "bot", "user", "bot", "user", "bot"]);
    await context.close();
  });

  it("holds messages while the browser is offline and sends them when it is back online", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    await widget.send("hello");
    await widget.waitForConfirmed(2);

    await context.setOffline(true);
    await widget.page.getByRole("status").filter({ hasText: /offline/ }).waitFor();
    await widget.send("lottery");
    await widget.page.waitForTimeout(500);
    expect(await widget.log.locator(".msg.pending").count()).toBe(1);

    await context.setOffline(false);
    await widget.waitForConfirmed(4);
    const stored = await history(await widget.guestToken());
    expect(stored.filter((message) => message.text === "lottery")).toHaveLength(1);
    await context.close();
  });

  it("delivers a message left in the outbox by a page closed while the server was down", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const first = await WidgetPage.open(context, server.url);
    await first.send("hello");
    await first.waitForConfirmed(2);
    await server.stop();
    await first.send("change my address");
    await expect.poll(() => first.log.locator(".msg.pending").count()).toBe(1);
    const token = await first.guestToken();
    await first.page.close();

    await server.start();
    const second = await WidgetPage.open(context, server.url);
    await second.waitForConfirmed(4, 30_000);
    expect(await second.bubbleTexts("user")).toEqual(["hello", "change my address"]);
    const stored = await history(token);
    expect(stored.filter((message) => message.text === "change my address")).toHaveLength(1);
    await context.close();
  });
});
