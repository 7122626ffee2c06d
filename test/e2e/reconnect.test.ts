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
    await widget.page
      .getByRole("status")
      .filter({ hasText: /Reconnecting/ })
      .waitFor({ timeout: 15_000 });
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
    await widget.page
      .getByRole("status")
      .filter({ hasText: /offline/ })
      .waitFor();
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
  /** A guest identity, as the widget gets one. */
  async function guestToken(): Promise<string> {
    const response = await fetch(`${server.url}/v1/sessions/anonymous`, { method: "POST" });
    expect(response.status).toBe(201);
    return ((await response.json()) as { token: string }).token;
  }

  it("completes a close the browser starts: Chromium sees its own code, cleanly, not 1006", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    const token = await guestToken();
    const closed = await page.evaluate(
      ({ url, bearer }) =>
        new Promise<{ code: number; reason: string; wasClean: boolean }>((resolve) => {
          const ws = new WebSocket(url, ["parley.v1", `bearer.${bearer}`]);
          ws.addEventListener("open", () => {
            ws.send(JSON.stringify({ type: "hello", since: 0 }));
            ws.close(4000, "bye");
          });
          ws.addEventListener("close", (event: CloseEvent) => resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean }));
        }),
      { url: `${server.url.replace("http", "ws")}/v1/ws`, bearer: token },
    );
    expect(closed).toEqual({ code: 4000, reason: "bye", wasClean: true });
    await context.close();
  });

  it("answers an oversized chunked body 413 and leaves the next request of another user unharmed", async () => {
    const [sender, other] = [await guestToken(), await guestToken()];
    for (let i = 0; i < 5; i++) {
      const chunk = new TextEncoder().encode("a".repeat(4096));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ === 10) return controller.close(); // 40 KB, no Content-Length: Transfer-Encoding chunked
          controller.enqueue(chunk);
        },
      });
      const init = { method: "POST", body, duplex: "half", headers: { authorization: `Bearer ${sender}`, "content-type": "application/json" } };
      const refused = await fetch(`${server.url}/v1/messages`, init as RequestInit);
      expect(refused.status).toBe(413);
      const next = await fetch(`${server.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${other}`, "content-type": "application/json" },
        body: JSON.stringify({ text: "hello", clientMessageId: `after-chunked-${i}` }),
      });
      expect(next.status).toBe(200);
    }
    expect((await history(other)).filter((message) => message.role === "user")).toHaveLength(5);
  });
});
