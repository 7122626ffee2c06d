import { existsSync } from "node:fs";
import { CHROMIUM_PATH } from "./browser.js";

/**
 * The e2e project's global setup: without Chromium its browser tests cannot run, and a run
 * that skipped them would pass for green. One line says what is missing and how to get it.
 */
export default function requireChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const error = new Error(`The e2e (browser) tests need Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH`);
  error.stack = error.message; // the line is the whole story: no stack trace under it
  throw error;
}
