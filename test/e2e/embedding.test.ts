import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import { WidgetPage, launchBrowser } from "./helpers/browser.js";
import { DevServer } from "./helpers/dev-server.js";
import { HostPage } from "./helpers/host-page.js";

describe("the widget embedded on another site (wrangler dev + Chromium)", () => {
  let server: DevServer;
  let host: HostPage;
  let browser: Browser;

  beforeAll(async () => {
    host = await HostPage.start();
    [server, browser] = await Promise.all([DevServer.launch({ ALLOWED_ORIGINS: host.origin() }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await host?.stop();
  });

  const scriptTag = () => `<!doctype html><title>shop</title>
    <style>button { all: unset; font-size: 40px; color: red }</style>
    <script src="${server.url}/widget.js" data-parley-endpoint="${server.url}" defer></script>`;

  it("chats from a site listed in ALLOWED_ORIGINS, as a guest", async () => {
    host.serve(scriptTag());
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, host.origin());
    await widget.send("hello");
    await widget.waitForConfirmed(2);
    expect((await widget.bubbleTexts("bot"))[0]).toMatch(/shoe shop assistant/);
    await context.close();
  });

  it("gets nowhere from a site that is not listed", async () => {
    host.serve(scriptTag());
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, host.origin("localhost"));
    await widget.send("hello");
    await widget.page.waitForTimeout(2_000);
    expect(await widget.log.locator(".msg.sent").count()).toBe(0);
    expect(await widget.log.locator(".msg.pending").count()).toBe(1);
    await context.close();
  });

  it("mounts with Parley.mount: the host's getToken, Chinese, dark theme", async () => {
    const { token } = await signToken({ userId: "embedded-user", scopes: ["chat"], ttlSeconds: 600, secret: secretBytes(DEV_JWT_SECRET) });
    host.serve(`<!doctype html><title>shop</title>
      <script src="${server.url}/widget.js"></script>
      <script>
        Parley.mount({ endpoint: ${JSON.stringify(server.url)}, getToken: () => ${JSON.stringify(token)}, locale: "zh", theme: "dark" });
      </script>`);
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(host.origin());
    await page.getByRole("button", { name: "打开聊天" }).click();
    const input = page.getByRole("textbox", { name: "消息" });
    await input.fill("你好");
    await input.press("Enter");
    await page.getByRole("log").locator(".msg.bot").first().waitFor({ timeout: 15_000 });
    expect(
      await page
        .locator("[data-parley-widget]")
        .evaluate((host: { shadowRoot: { querySelector(s: string): { getAttribute(n: string): string | null } | null } | null }) =>
          host.shadowRoot?.querySelector(".root")?.getAttribute("data-scheme"),
        ),
    ).toBe("dark");
    const history = await fetch(`${server.url}/v1/conversation/messages`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await history.json()) as { messages: Array<{ text: string }> }).messages[0]?.text).toBe("你好");
    await context.close();
  });
});
