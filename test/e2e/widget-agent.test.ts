import type { Browser, BrowserContext, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WidgetPage, launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

/**
 * The widget during a human handoff: agent messages with the agent's name, "joined" lines,
 * and the agent's typing indicator. The page and the guest identity come from `npm run dev`;
 * the chat socket is answered here (Playwright's routeWebSocket), by a stand-in that speaks the
 * frames of src/protocol/frames.ts: it replays what it holds above `hello.since` and echoes
 * each `say`, so a reload shows exactly what the history replay brings.
 */

interface Message {
  type: "message";
  seq: number;
  role: "user" | "bot" | "agent" | "system";
  text: string;
  at: number;
  clientMessageId?: string;
  author?: { id: string; name: string };
}

class FakeChatServer {
  readonly messages: Message[] = [];
  private socket: WebSocketRoute | null = null;

  constructor(initial: Array<Omit<Message, "type" | "seq" | "at">>) {
    for (const message of initial) this.add(message);
  }

  async attach(context: BrowserContext): Promise<void> {
    await context.routeWebSocket(/\/v1\/ws$/, (socket) => {
      this.socket = socket;
      socket.onMessage((data) => this.received(socket, String(data)));
    });
  }

  /** Sends a frame to the page's socket, as the conversation actor would push it live. */
  push(frame: object): void {
    if (!this.socket) throw new Error("the widget has not connected");
    this.socket.send(JSON.stringify(frame));
  }

  say(message: Omit<Message, "type" | "seq" | "at">): void {
    this.push(this.add(message));
  }

  private add(message: Omit<Message, "type" | "seq" | "at">): Message {
    const full: Message = { type: "message", seq: this.messages.length + 1, at: Date.now(), ...message };
    this.messages.push(full);
    return full;
  }

  private received(socket: WebSocketRoute, data: string): void {
    const frame = JSON.parse(data) as { type: string; since?: number; text?: string; clientMessageId?: string };
    if (frame.type === "hello") {
      for (const message of this.messages.filter((candidate) => candidate.seq > (frame.since ?? 0))) socket.send(JSON.stringify(message));
    } else if (frame.type === "say" && frame.text && frame.clientMessageId) {
      this.say({ role: "user", text: frame.text, clientMessageId: frame.clientMessageId });
    } else if (frame.type === "ping") {
      socket.send(JSON.stringify({ type: "pong" }));
    }
  }
}

/** The one DOM call the page runs for the test (the tests are typed without the DOM library). */
type StyleWindow = { getComputedStyle(element: unknown): { alignSelf: string } };

const anna = { id: "agent-anna", name: "Anna" };

describe("chat widget with a human agent (Chromium, socket answered by the test)", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([DevServer.launch(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("names the agent on their messages, shows the joined line, the agent typing, and the same again after a reload", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const chat = new FakeChatServer([
      { role: "user", text: "I want to talk to a human", clientMessageId: "m1" },
      { role: "bot", text: "I'm connecting you with a colleague." },
      { role: "system", text: "Anna joined the chat", author: anna },
    ]);
    await chat.attach(context);
    const widget = await WidgetPage.open(context, server.url);
    await widget.waitForConfirmed(3);
    const joined = widget.log.locator(".msg.system");
    expect(await joined.locator(".bubble").textContent()).toBe("Anna joined the chat");
    expect(await joined.evaluate((element) => (globalThis as unknown as StyleWindow).getComputedStyle(element).alignSelf)).toBe("center");

    chat.push({ type: "typing", author: anna });
    const typing = widget.page.getByText("Anna is typing…");
    await typing.waitFor();
    chat.say({ role: "agent", text: "Hi, I'm Anna. Let me look at your order.", author: anna });
    await widget.waitForConfirmed(4);
    await typing.waitFor({ state: "hidden" });

    const agent = widget.log.locator(".msg.agent");
    expect(await agent.locator(".name").textContent()).toBe("Anna (agent)");
    expect(await agent.locator(".name").getAttribute("aria-hidden")).toBe("true");
    expect(await agent.locator(".sr").textContent()).toBe("Anna (agent): ");
    // Screen readers hear the name once, before the text (the visible label is hidden from them).
    const heard = await widget.log.ariaSnapshot();
    expect(heard).toContain('- text: "Anna (agent):"\n  - paragraph: Hi, I\'m Anna. Let me look at your order.');
    expect(heard.split("Anna (agent)")).toHaveLength(2);

    await widget.send("thanks");
    await widget.waitForConfirmed(5);
    const before = await widget.bubbles();
    await widget.page.reload();
    await widget.openChat();
    await widget.waitForConfirmed(5);
    expect(await widget.bubbles()).toEqual(before);
    expect(await widget.log.locator(".msg.agent .name").allTextContents()).toEqual(["Anna (agent)"]);
    expect(await widget.log.locator(".msg.system .bubble").allTextContents()).toEqual(["Anna joined the chat"]);
    await context.close();
  });

  it("keeps the bot's typing line when a typing frame has no author", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const chat = new FakeChatServer([{ role: "bot", text: "Hello!" }]);
    await chat.attach(context);
    const widget = await WidgetPage.open(context, server.url);
    await widget.waitForConfirmed(1);
    chat.push({ type: "typing" });
    await widget.page.getByText("Assistant is typing…").waitFor();
    await context.close();
  });

  it("says it in Chinese to a Chinese browser", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const li = { id: "agent-li", name: "李娜" };
    const chat = new FakeChatServer([{ role: "system", text: "李娜 已加入对话", author: li }]);
    await chat.attach(context);
    const widget = await WidgetPage.open(context, server.url);
    await widget.waitForConfirmed(1);
    chat.push({ type: "typing", author: li });
    await widget.page.getByText("李娜 正在输入…").waitFor();
    chat.say({ role: "agent", text: "您好，我来帮您查一下。", author: li });
    await widget.waitForConfirmed(2);
    expect(await widget.log.locator(".msg.agent .name").textContent()).toBe("李娜（人工客服）");
    await context.close();
  });
});
