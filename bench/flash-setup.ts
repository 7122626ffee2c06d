/** The flash benchmark's fixtures: its campaign, the shop drawing from it, and what the API says afterwards. */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { DEV_JWT_SECRET } from "../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../src/security/jwt.js";

/** A red-envelope draw: ¥1 and ¥5 in cash, coupons, and a budget the cash prizes cannot all take. */
export function flashCampaign(id: string, shards: number, users: number): unknown {
  return {
    id,
    name: `Flash ${id}`,
    startsAt: "2025-01-01T00:00:00Z",
    endsAt: "2099-01-01T00:00:00Z",
    currency: "CNY",
    // ¥1 a head on average at most: the pool runs dry of cash before the crowd has drawn.
    budget: users * 60,
    shards,
    drawsPerUser: 1,
    noPrizeWeight: 30,
    prizes: [
      { id: "cash-1", kind: "cash", amount: 100, count: users, weight: 40, label: { en: "¥1.00 in cash", zh: "1元现金" } },
      { id: "cash-5", kind: "cash", amount: 500, count: Math.ceil(users / 20), weight: 5, label: { en: "¥5.00 in cash", zh: "5元现金" } },
      { id: "coupon-10", kind: "coupon", amount: 0, count: users, weight: 25, label: { en: "a 10% off coupon", zh: "一张九折优惠券" } },
    ],
  };
}

/** The example shop, its lottery drawing from `campaignId`. */
export function shopDrawingFrom(campaignId: string, version: string): unknown {
  const shop = readFileSync(new URL("../bots/shop.json", import.meta.url), "utf8");
  return { ...(JSON.parse(shop.replaceAll('"campaign": "spring-lottery"', `"campaign": "${campaignId}"`)) as object), version };
}

export async function adminToken(): Promise<string> {
  return (await signToken({ userId: "flash-admin", scopes: ["admin"], ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET) })).token;
}

/** One admin call; throws with the answer's body when it is not 2xx. */
export async function adminCall<T>(origin: string, token: string, method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
  const response = await fetch(origin + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export interface Reconciliation {
  ok: boolean;
  differences: unknown[];
  totals: { draws: number; cash: Record<"reserved" | "paid" | "released", { count: number; amount: number }> };
  shards: { shard: number; draws: number }[];
}

/** The fake provider's `GET /__fake/ledger`: every payment it holds, by idempotency key. */
export interface FakeLedger {
  payments: { idempotencyKey: string; reference: string; amount: number; currency: string; status: string }[];
}

/** The fake payment provider (scripts/fake-payments.ts) on a local port, in its own process; resolves once it listens. */
export function startFakeProvider(port: number, secret: string): Promise<ChildProcess> {
  return startScript("../scripts/fake-payments.ts", ["--port", String(port), "--secret", secret]);
}

/** A TypeScript script of the repository (`path` relative to bench/) in its own Node process; resolves at its first line of output. */
export function startScript(path: string, args: readonly string[]): Promise<ChildProcess> {
  const script = new URL(path, import.meta.url).pathname;
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`${path} exited (${code})`)));
  });
}
