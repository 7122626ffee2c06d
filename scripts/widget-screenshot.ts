/**
 * Takes docs/widget.png, the README's picture of the widget: the demo page served by
 * `wrangler dev`, the chat open, a short conversation. Needs Chromium (see test/e2e).
 *
 *   npx tsx scripts/widget-screenshot.ts [out.png]
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { WidgetPage, launchBrowser } from "../test/e2e/helpers/browser.js";
import { DevServer } from "../test/e2e/helpers/dev-server.js";

const out = resolve(process.argv[2] ?? "docs/widget.png");
const server = await DevServer.launch();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1 });
  const widget = await WidgetPage.open(context, server.url);
  await widget.send("do you have running shoes in size 42?");
  await widget.waitForConfirmed(2);
  await widget.send("what else can you do?");
  await widget.waitForConfirmed(4);
  await widget.quickReplies.getByRole("button").first().waitFor();
  await widget.page.waitForTimeout(300);
  mkdirSync(dirname(out), { recursive: true });
  await widget.page.screenshot({ path: out });
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
  await server.dispose();
}
