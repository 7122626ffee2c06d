import type { Browser, BrowserContext, Page, Route, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HeldEntry, LineEntry } from "../../src/protocol/agent.js";
import { claimAnswerSchema, lineEntrySchema, noteBodySchema, queueViewSchema, replyBodySchema } from "../../src/protocol/agent.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import { launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";

/*
 * The /agent page in Chromium (served by `npm run dev`), against fixed answers: the REST routes
 * by context.route, the queue's socket by context.routeWebSocket. Selectors (stable, for the
 * two-browser test too):
 *   login         textbox "Token", button "Open the inbox", the error: role alert
 *   presence      radio "Online" / "Away" (group "Presence")
 *   a queue       region "<bot> / <queue>" (data-testid=queue, data-queue="<bot>:<queue>");
 *                 its notices: role status inside it ("Someone else took it…")
 *   waiting       listitem data-testid=waiting-entry (data-entry-id); button /^Claim #\d+/ (data-testid=claim)
 *   held          navigation "Your conversations": buttons data-testid=held-tab
 *   conversation  region /^Conversation / (data-testid=conversation, data-entry-id); log "Messages with the customer"
 *                 (data-testid=history; each item data-state=sent|sending|waiting|failed); textbox "Reply to the customer" (Enter sends); button "Send reply";
 *                 combobox "Canned reply" + button "Insert the canned reply"; textbox "Internal note (not shown to the
 *                 customer)" + button "Add note"; combobox "Transfer to queue" + button "Transfer"; button "End conversation"
 *   announcements data-testid=announcer (role status)
 */

const stats = { waiting: 2, waitP50Seconds: null, waitP90Seconds: null, handled: 0, abandoned: 0, tickets: 0, agentsOnline: 1, satisfaction: null, ratings: 0 };
const summary = (intent: string, text: string, language: "en" | "zh" = "en") => ({
  intent,
  reason: "requested",
  language,
  slots: { order_id: "A1001", phone: "***5678" },
  lastMessages: [{ seq: 3, at: Date.now() - 60_000, role: "user" as const, text }],
});
const waiting = (entryId: string, position: number, waitedSeconds: number, text: string): LineEntry =>
  lineEntrySchema.parse({ entryId, position, waitedSeconds, language: "en", summary: summary("order_status", text), overdue: false });

/** The agent API as the page sees it, with what the page sent. */
class FakeAgentApi {
  line: LineEntry[] = [waiting("entry-taken-1", 1, 300, "where is my order?"), waiting("entry-mine-22", 2, 75, "my phone is ***5678, call me")];
  held: HeldEntry[] = [];
  readonly replies = new Map<string, { text: string; seq: number }>();
  readonly replyPosts: string[] = [];
  readonly frames: Array<Record<string, unknown>> = [];
  failReplies = false;
  seq = 10;
  private sockets: WebSocketRoute[] = [];

  constructor(readonly token: string) {}

  async attach(context: BrowserContext): Promise<void> {
    await context.route(
      (url) => url.pathname.startsWith("/v1/agent/"),
      (route) => this.answer(route),
    );
    await context.routeWebSocket(/\/v1\/agent\/ws/, (socket) => {
      this.sockets.push(socket);
      socket.onMessage((data) => void this.frames.push(JSON.parse(String(data)) as Record<string, unknown>));
      socket.send(JSON.stringify({ type: "line", entries: this.line, stats }));
      socket.send(JSON.stringify({ type: "held", entries: this.held }));
    });
  }

  /** Pushes a frame on every socket open now. */
  push(frame: object): void {
    for (const socket of this.sockets) socket.send(JSON.stringify(frame));
  }

  /** Drops every socket, as a lost connection does. */
  dropSockets(): void {
    for (const socket of this.sockets.splice(0)) void socket.close({ code: 1006, reason: "gone" });
  }

  private async answer(route: Route): Promise<void> {
    const request = route.request();
    if (request.headers()["authorization"] !== `Bearer ${this.token}`) return fail(route, 401, "unauthorized", "token is not valid");
    const path = new URL(request.url()).pathname.split("/").slice(3);
    if (path[0] === "bots") return route.fulfill({ json: { bot: "shop", version: "1", cannedReplies: CANNED } });
    const [, bot, queue, , entryId, action] = path;
    if (bot !== "shop" || (queue !== "general" && queue !== "orders")) return fail(route, 404, "not_found", `bot "shop" has no handoff queue "${queue}"`);
    if (!entryId) return route.fulfill({ json: queueViewSchema.parse({ bot, queue, line: this.line, held: this.held, stats }) });
    if (action === "claim") return this.claim(route, entryId);
    if (action === "history") return route.fulfill({ json: { entryId, messages: HISTORY, notes: [] } });
    if (action === "reply") return this.reply(route, entryId);
    if (action === "notes") {
      const body = noteBodySchema.parse(request.postDataJSON());
      return route.fulfill({ json: { note: { noteId: body.noteId, at: Date.now(), author: { id: "anna", name: "Anna" }, text: body.text } } });
    }
    this.held = this.held.filter((entry) => entry.entryId !== entryId);
    return route.fulfill({ json: action === "end" ? { entryId, resolution: "resolved" } : { entryId, toQueue: request.postDataJSON().toQueue } });
  }

  private claim(route: Route, entryId: string): Promise<void> {
    const entry = this.line.find((candidate) => candidate.entryId === entryId);
    if (!entry || entryId === "entry-taken-1") return fail(route, 409, "conflict", "another agent claimed this conversation");
    this.line = this.line.filter((candidate) => candidate !== entry);
    const held: HeldEntry = { entryId, claimedAt: Date.now(), waitedSeconds: 75, language: "en", summary: entry.summary, notes: [] };
    this.held.push(held);
    return route.fulfill({ json: claimAnswerSchema.parse({ entry: held }) });
  }

  private reply(route: Route, entryId: string): Promise<void> {
    const body = replyBodySchema.parse(route.request().postDataJSON());
    this.replyPosts.push(body.messageId);
    if (this.failReplies) return route.abort("internetdisconnected");
    const known = this.replies.get(body.messageId);
    const seq = known?.seq ?? ++this.seq;
    if (!known) this.replies.set(body.messageId, { text: body.text, seq });
    return route.fulfill({ json: { entryId, messageId: body.messageId, seq, duplicate: known !== undefined } });
  }
}

const CANNED = [{ id: "greet", text: { en: "Hello, I'm looking into it now.", zh: "您好，我正在为您查询。" } }];
const HISTORY = [
  { seq: 1, at: 1, role: "user", text: "hello" },
  { seq: 2, at: 2, role: "bot", text: "Hi! How can I help?" },
  { seq: 3, at: 3, role: "user", text: "my phone is ***5678, call me" },
  { seq: 4, at: 4, role: "system", text: "Anna joined the chat", author: { id: "anna", name: "Anna" } },
];

function fail(route: Route, status: number, code: string, message: string): Promise<void> {
  return route.fulfill({ status, json: { error: { code, message, requestId: "r-test" } } });
}

describe("the /agent page (wrangler dev + Chromium, fixed answers)", () => {
  let server: DevServer;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    const signed = signToken({ userId: "anna", scopes: ["agent"], name: "Anna", ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET) });
    [server, browser, { token }] = await Promise.all([DevServer.launch(), launchBrowser(), signed]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  async function open(): Promise<{ page: Page; api: FakeAgentApi; context: BrowserContext; errors: string[] }> {
    const context = await browser.newContext({ locale: "en-US" });
    const api = new FakeAgentApi(token);
    await api.attach(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    return { page, api, context, errors };
  }

  async function signIn(page: Page, withToken: string): Promise<void> {
    await page.goto(`${server.url}/agent`);
    await page.getByRole("textbox", { name: "Token" }).fill(withToken);
    await page.getByRole("button", { name: "Open the inbox" }).click();
  }

  const queue = (page: Page) => page.getByRole("region", { name: "shop / general" });
  const conversation = (page: Page) => page.getByRole("region", { name: /^Conversation / });

  it("signs in with a token (a wrong one is refused), then lists who waits, with wait time, language and a masked summary", async () => {
    const { page, api, context, errors } = await open();
    await signIn(page, "not-a-token");
    await page.getByRole("alert").filter({ hasText: "That token was not accepted" }).waitFor();
    await signIn(page, token);
    await page.getByText("Signed in as Anna (anna)").waitFor();
    const entries = queue(page).getByTestId("waiting-entry");
    await expect.poll(() => entries.count()).toBe(2);
    expect(await entries.nth(0).textContent()).toMatch(/#1 · English.*waiting 5 min 0\d s/);
    const second = entries.nth(1);
    expect(await second.textContent()).toContain("order_id: A1001 · phone: ***5678");
    expect(await second.getByRole("list", { name: "Last messages" }).textContent()).toBe("Customer: my phone is ***5678, call me");
    const before = await second.locator(".wait").textContent();
    await expect.poll(() => second.locator(".wait").textContent(), { timeout: 5_000 }).not.toBe(before);
    expect(
      await queue(page)
        .getByRole("button", { name: /^Claim #2: order_status, English$/ })
        .count(),
    ).toBe(1);

    api.push({ type: "entry", entryId: "entry-new-333", entry: waiting("entry-new-333", 3, 0, "hello?? anyone there") });
    await page.getByTestId("announcer").filter({ hasText: "A conversation is waiting in shop / general." }).waitFor();
    expect(await entries.nth(2).getByRole("list", { name: "Last messages" }).textContent()).toBe("Customer: hello?? anyone there");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says 'someone else took it' on a 409, and opens a claimed conversation with its masked history, canned replies and notes", async () => {
    const { page, api, context, errors } = await open();
    await page.goto(`${server.url}/agent/#token=${token}`);
    await queue(page)
      .getByRole("button", { name: /^Claim #1/ })
      .click();
    await queue(page).getByRole("status").filter({ hasText: "Someone else took it" }).waitFor();
    await expect.poll(() => queue(page).getByTestId("waiting-entry").count()).toBe(1);

    await queue(page)
      .getByRole("button", { name: /^Claim #1/ })
      .click();
    const panel = conversation(page);
    await panel.getByRole("log", { name: "Messages with the customer" }).getByText("Anna joined the chat").waitFor();
    expect(await panel.getByRole("log").textContent()).toContain("Customer: my phone is ***5678, call me");
    const heading = panel.getByRole("heading", { name: /^Conversation / });
    await expect
      .poll(() => heading.evaluate((element: { getRootNode(): { activeElement?: unknown } }) => element.getRootNode().activeElement === element))
      .toBe(true);
    await page.getByTestId("announcer").filter({ hasText: "You claimed a conversation" }).waitFor();

    await panel.getByRole("combobox", { name: "Canned reply" }).selectOption("greet");
    await panel.getByRole("button", { name: "Insert the canned reply" }).click();
    const box = panel.getByRole("textbox", { name: "Reply to the customer" });
    expect(await box.inputValue()).toBe("Hello, I'm looking into it now.");
    await box.press("Enter");
    await panel.locator("[data-state=sent]").getByText("You: Hello, I'm looking into it now.").waitFor();
    expect([...api.replies.values()]).toEqual([{ text: "Hello, I'm looking into it now.", seq: 11 }]);

    await panel.getByRole("textbox", { name: "Internal note (not shown to the customer)" }).fill("VIP, be nice");
    await panel.getByRole("button", { name: "Add note" }).click();
    const notes = panel.getByRole("region", { name: "Internal notes — not shown to the customer" });
    await notes.getByText(/Anna, .*: VIP, be nice$/).waitFor();

    api.push({ type: "message", entryId: "entry-mine-22", message: { seq: 12, at: Date.now(), role: "user", text: "thanks!" } });
    await panel.getByRole("log").getByText("Customer: thanks!").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps a draft and an unsent reply through a reload and a dropped connection, and sends the reply once, under one id", async () => {
    const { page, api, context } = await open();
    await page.goto(`${server.url}/agent/#token=${token}`);
    await queue(page)
      .getByRole("button", { name: /^Claim #2/ })
      .click();
    const box = conversation(page).getByRole("textbox", { name: "Reply to the customer" });
    await box.waitFor();

    api.failReplies = true;
    await box.fill("Your parcel left the warehouse today.");
    await conversation(page).getByRole("button", { name: "Send reply" }).click();
    await conversation(page)
      .getByText(/Not sent yet/)
      .waitFor();
    await box.fill("a draft I have not sent");

    await page.reload();
    await conversation(page)
      .getByText(/Your parcel left the warehouse today\./)
      .waitFor();
    expect(await conversation(page).getByRole("textbox", { name: "Reply to the customer" }).inputValue()).toBe("a draft I have not sent");

    api.failReplies = false;
    api.dropSockets();
    await conversation(page).locator("[data-state=sent]").filter({ hasText: "Your parcel left" }).waitFor({ timeout: 15_000 });
    const ids = new Set(api.replyPosts);
    expect(ids.size).toBe(1);
    expect(api.replies.size).toBe(1);
    expect(api.replyPosts.length).toBeGreaterThanOrEqual(2);
    await page.waitForTimeout(500);
    expect(await conversation(page).getByText("Your parcel left the warehouse today.", { exact: false }).count()).toBe(1);
    await context.close();
  });

  it("tells the queues when the agent is away, again after a reconnect, and transfers a conversation to another queue", async () => {
    const { page, api, context } = await open();
    await page.goto(`${server.url}/agent/#token=${token}`);
    await queue(page).getByText("live").waitFor();
    await page.getByRole("radio", { name: "Away" }).check();
    await expect.poll(() => api.frames.filter((frame) => frame["type"] === "presence").at(-1)).toEqual({ type: "presence", status: "away" });
    api.frames.length = 0;
    api.dropSockets();
    await expect.poll(() => api.frames, { timeout: 15_000 }).toContainEqual({ type: "presence", status: "away" });

    await queue(page)
      .getByRole("button", { name: /^Claim #2/ })
      .click();
    await conversation(page).getByRole("combobox", { name: "Transfer to queue" }).fill("orders");
    await conversation(page).getByRole("button", { name: "Transfer" }).click();
    await page.getByTestId("announcer").filter({ hasText: "was transferred to orders" }).waitFor();
    expect(await conversation(page).count()).toBe(0);
    await context.close();
  });
});
