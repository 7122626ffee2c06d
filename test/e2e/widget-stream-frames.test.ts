import type { Browser, BrowserContext, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WidgetPage, launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";
import { readLog, recordLog } from "./helpers/log-recorder.js";

/**
 * The widget's side of streamed replies, frame by frame: the page and the guest identity come
 * from `npm run dev`, the chat socket is answered here (Playwright's routeWebSocket) by a
 * stand-in that replays its messages above `hello.since` and then, as the conversation actor
 * does, the reply being generated from offset 0. The test sends each delta itself, so repeats,
 * pieces out of order and a reload land exactly where it wants them.
 * (widget-stream.test.ts runs the same against the real server and a fake model.)
 */

interface Message {
  type: "message";
  seq: number;
  role: "user" | "bot";
  text: string;
  at: number;
  clientMessageId?: string;
}

class StreamingChatServer {
  readonly messages: Message[] = [{ type: "message", seq: 1, role: "user", text: "when do you ship?", at: 1, clientMessageId: "m1" }];
  /** The reply being generated to seq 1, as far as it has come. */
  live = "";
  private socket: WebSocketRoute | null = null;

  async attach(context: BrowserContext): Promise<void> {
    await context.routeWebSocket(/\/v1\/ws$/, (socket) => {
      this.socket = socket;
      socket.onMessage((data) => this.received(socket, String(data)));
    });
  }

  /** A piece of the reply: its text so far keeps `offset` characters and appends `text`. */
  delta(offset: number, text: string): void {
    if (offset <= this.live.length && offset + text.length > this.live.length) this.live = this.live.slice(0, offset) + text;
    this.push({ type: "delta", replyTo: 1, clientMessageId: "m1", offset, text });
  }

  /** The reply committed: the stream ends and the final message goes out. */
  commit(text: string): void {
    this.live = "";
    const message: Message = { type: "message", seq: 2, role: "bot", text, at: 2 };
    this.messages.push(message);
    this.push(message);
  }

  push(frame: object): void {
    if (!this.socket) throw new Error("the widget has not connected");
    this.socket.send(JSON.stringify(frame));
  }

  private received(socket: WebSocketRoute, data: string): void {
    const frame = JSON.parse(data) as { type: string; since?: number };
    if (frame.type === "hello") {
      for (const message of this.messages.filter((candidate) => candidate.seq > (frame.since ?? 0))) socket.send(JSON.stringify(message));
      if (this.live) socket.send(JSON.stringify({ type: "delta", replyTo: 1, clientMessageId: "m1", offset: 0, text: this.live }));
    } else if (frame.type === "ping") {
      socket.send(JSON.stringify({ type: "pong" }));
    }
  }
}

/** The calls the page runs for the test (the tests are typed without the DOM library). */
type StyleWindow = { getComputedStyle(element: unknown, pseudo?: string): { content: string } };
type Connected = { isConnected: boolean };

describe("chat widget with a streamed reply (Chromium, socket answered by the test)", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([DevServer.launch(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("grows one bubble in place, as text, unheard; the final message takes its place and is heard once", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const chat = new StreamingChatServer();
    await chat.attach(context);
    const widget = await WidgetPage.open(context, server.url);
    await widget.waitForConfirmed(1);
    await recordLog(widget.page);
    chat.push({ type: "typing" });
    await widget.page.getByText("Assistant is typing…").waitFor();

    chat.delta(0, "We ship <b>fast</b>");
    const bubble = widget.log.locator(".msg.streaming .bubble");
    await bubble.waitFor();
    await widget.page.getByText("Assistant is typing…").waitFor({ state: "hidden" });
    const element = await bubble.elementHandle();
    expect(await widget.log.locator(".msg.streaming").getAttribute("aria-hidden")).toBe("true");
    expect(await bubble.evaluate((node) => (globalThis as unknown as StyleWindow).getComputedStyle(node, "::after").content)).toBe('""');
    chat.delta(19, " within two");
    chat.delta(19, " within two"); // a repeat
    chat.delta(0, "We ship"); // stale
    chat.delta(38, " days."); // early: waits for the piece before it
    chat.delta(30, " working");
    await expect.poll(() => bubble.textContent()).toBe("We ship <b>fast</b> within two working days.");
    expect(await widget.log.locator("b").count()).toBe(0);
    expect(await widget.log.ariaSnapshot()).not.toContain("We ship");
    expect(await element?.evaluate((node) => (node as unknown as Connected).isConnected)).toBe(true);

    chat.commit("We ship within two working days.");
    await widget.waitForConfirmed(2);
    expect(await widget.bubbleTexts("bot")).toEqual(["We ship within two working days."]);
    expect(await widget.log.locator(".msg.streaming").count()).toBe(0);
    expect(await element?.evaluate((node) => (node as unknown as Connected).isConnected)).toBe(false);
    const record = await readLog(widget.page);
    expect(record.streamElements).toBe(1);
    expect(record.streamed).toEqual(["We ship <b>fast</b>", "We ship <b>fast</b> within two", "We ship <b>fast</b> within two working days."]);
    expect(record.announced).toEqual(["Assistant: We ship within two working days."]);
    await context.close();
  });

  it("after a reload mid-reply, shows the text so far once, then the rest, then the final message once", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const chat = new StreamingChatServer();
    await chat.attach(context);
    const widget = await WidgetPage.open(context, server.url);
    await widget.waitForConfirmed(1);
    chat.delta(0, "We ship");
    chat.delta(7, " within two");
    const bubble = widget.log.locator(".msg.streaming .bubble");
    await expect.poll(() => bubble.textContent()).toBe("We ship within two");

    await widget.page.reload();
    await widget.openChat();
    await expect.poll(() => bubble.textContent()).toBe("We ship within two");
    await recordLog(widget.page);
    chat.delta(18, " working days.");
    await expect.poll(() => bubble.textContent()).toBe("We ship within two working days.");
    chat.commit("We ship within two working days.");
    await widget.waitForConfirmed(2);
    expect(await widget.bubbles()).toEqual(["when do you ship?", "We ship within two working days."]);
    expect((await readLog(widget.page)).announced).toEqual(["Assistant: We ship within two working days."]);
    await context.close();
  });
});
