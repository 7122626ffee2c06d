import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, rmdirSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DevServer } from "./helpers/dev-server.js";

const ROOT = resolve(import.meta.dirname, "../..");
/** Local state and build output: what a fresh clone does not have. */
const NOT_IN_A_CLONE = new Set([".git", ".wrangler", ".dev.vars", "dist", "test-results"]);

/**
 * The repository as a fresh clone after `npm ci` sees it: every entry linked, no `.wrangler/`.
 * The dev server starts from empty local state and leaves a developer's own alone.
 */
function linkedCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), "parley-checkout-"));
  for (const entry of readdirSync(ROOT)) if (!NOT_IN_A_CLONE.has(entry)) symlinkSync(join(ROOT, entry), join(dir, entry));
  return dir;
}

/** Removes the links (never what they point to) and the state the server wrote beside them. */
function removeCheckout(dir: string): void {
  rmSync(join(dir, ".wrangler"), { recursive: true, force: true });
  for (const entry of readdirSync(dir)) unlinkSync(join(dir, entry));
  rmdirSync(dir);
}

describe("README's two commands: `npm run dev -- --port N`", () => {
  let checkout: string;
  let server: DevServer;

  beforeAll(async () => {
    checkout = linkedCheckout();
    server = await DevServer.readme(checkout);
  });

  afterAll(async () => {
    await server?.dispose();
    if (checkout) removeCheckout(checkout);
  });

  it("serves on 127.0.0.1 at the port asked for", async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it("answers a turn for a token from `npm run token`, as README's curl session does", async () => {
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", "token", "--", "readme-reader"], { cwd: checkout });
    const response = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${stdout.trim()}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "hello" }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { reply: { text: string }; botVersion: string };
    expect(body.reply.text).toMatch(/shoe shop assistant/);
    expect(body.botVersion).toBe("1");
  });
});
