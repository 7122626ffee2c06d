import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { chromium } from "playwright-core";

/**
 * Debian's chromium package (`apt-get install -y chromium`); CHROMIUM_PATH overrides. Without
 * it the e2e project fails before any test runs (require-chromium.ts), never skips.
 */
export const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

/** Chromium with the flags this machine needs, plus `extraArgs` (e.g. a fake microphone). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

/** The widget as a user finds it: by role and accessible name, through its shadow root. */
export class WidgetPage {
  readonly dialogs: string[] = [];

  constructor(readonly page: Page) {
    page.on("dialog", (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }

  static async open(context: BrowserContext, url: string): Promise<WidgetPage> {
    const widget = new WidgetPage(await context.newPage());
    await widget.page.goto(url);
    await widget.openChat();
    return widget;
  }

  get launcher(): Locator {
    return this.page.getByRole("button", { name: /^(Open chat|打开聊天)$/ });
  }

  get input(): Locator {
    return this.page.getByRole("textbox", { name: /^(Message|消息)$/ });
  }

  get log(): Locator {
    return this.page.getByRole("log");
  }

  get quickReplies(): Locator {
    return this.page.getByRole("toolbar");
  }

  /** Whether the element has focus (inside the widget's shadow root, where it lives). */
  static hasFocus(locator: Locator): Promise<boolean> {
    return locator.evaluate((element: { getRootNode(): { activeElement?: unknown } }) => element.getRootNode().activeElement === element);
  }

  /** The visible texts of the bubbles in the log, in order. */
  bubbles(): Promise<string[]> {
    return this.log.locator(".bubble").allTextContents();
  }

  bubbleTexts(role: "user" | "bot"): Promise<string[]> {
    return this.log.locator(`.msg.${role} .bubble`).allTextContents();
  }

  async openChat(): Promise<void> {
    await this.launcher.click();
    await this.input.waitFor();
  }

  async send(text: string): Promise<void> {
    await this.input.fill(text);
    await this.input.press("Enter");
  }

  /** Waits until the log has at least `count` bubbles that the server confirmed. */
  async waitForConfirmed(count: number, timeout = 15_000): Promise<void> {
    await this.log
      .locator(".msg.sent")
      .nth(count - 1)
      .waitFor({ timeout });
  }

  /** The guest identity the widget keeps in localStorage. */
  async guestToken(): Promise<string> {
    const token = await this.page.evaluate(() => {
      const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null } })
        .localStorage;
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key?.startsWith("parley:guest:")) return (JSON.parse(storage.getItem(key) ?? "{}") as { token?: string }).token ?? null;
      }
      return null;
    });
    if (!token) throw new Error("no guest identity in localStorage");
    return token;
  }
}
