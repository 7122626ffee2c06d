/**
 * The flash-campaign benchmark (issue 20; bench/README.md): `--users` shoppers (default 2,000)
 * each say "我要抽奖" once, all within seconds, on a cash campaign split over N pool shards (N = 1
 * and N = 16). Reports draws/s and latency through the chat, the hottest shard's share of the
 * draws, and — once every payout saga has ended — whether every cash win settled and the
 * campaign's ledger equals the payment provider's total (the fake provider, on a local port).
 *
 *   npm run bench:flash [-- --users 2000 --connections 64 --shards 1,16 --settle-seconds 300]
 *
 * Each round runs on a fresh `wrangler dev`: locally every Durable Object lives in one workerd
 * process, each new user's actor keeps its SQLite database open, and from about 4,500 of them
 * SQLite answers SQLITE_NOMEM and the runtime restarts mid-run (seen here with 5,000 and 10,000
 * new users). In production each object has its own storage; the local figures stop below that.
 */
import { parseArgs } from "node:util";
import type { FakeLedger, Reconciliation } from "./flash-setup.js";
import { adminCall, adminToken, flashCampaign, shopDrawingFrom, startFakeProvider } from "./flash-setup.js";
import { HttpClient, runAll } from "./load.js";
import { freePort, startSystem } from "./runtime.js";
import { SampleBuffer, summarize } from "./stats.js";
import { TokenBook } from "./tokens.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "2000" },
    connections: { type: "string", default: "64" },
    shards: { type: "string", default: "1,16" },
    "settle-seconds": { type: "string", default: "300" },
  },
});
const USERS = Number(values.users);
const CONNECTIONS = Number(values.connections);
const SHARD_COUNTS = values.shards.split(",").map(Number);
const SETTLE_MS = Number(values["settle-seconds"]) * 1000;
const SECRET = "bench-payments-secret";
/** A reconciliation read that takes longer was parked by the dev proxy: ask again, this many times. */
const READ_TIMEOUT_MS = 60_000;
const READ_ATTEMPTS = 5;

interface FlashResult {
  shards: number;
  draws: number;
  errors: number;
  drawsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  hottestShare: number;
  settledAfterS: number | null;
  reserved: number;
  paid: { count: number; amount: number };
  released: { count: number; amount: number };
  providerPaid: number;
  reconciled: boolean;
}

interface Crowd {
  perSecond: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

/** `USERS` new users, each sending `text` once, `CONNECTIONS` at a time, all through the chat. */
async function crowd(origin: string, prefix: string, text: string): Promise<Crowd> {
  const users = Array.from({ length: USERS }, (_, i) => `${prefix}-u${i}`);
  const tokens = new TokenBook();
  await tokens.mint(users);
  const client = new HttpClient(origin, CONNECTIONS);
  const latencies = new SampleBuffer();
  const started = performance.now();
  const run = await runAll(USERS, CONNECTIONS, async (i) => {
    const t0 = performance.now();
    const outcome = await client.post({
      path: "/v1/messages",
      headers: { authorization: `Bearer ${await tokens.get(users[i] ?? "")}`, "content-type": "application/json" },
      body: JSON.stringify({ text, clientMessageId: `${prefix}-${i}` }),
    });
    if (outcome.ok) latencies.push(performance.now() - t0);
    return outcome;
  });
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  const latency = summarize(latencies.values());
  return { perSecond: (USERS - run.errors) / seconds, errors: run.errors, p50Ms: latency.p50, p99Ms: latency.p99 };
}

/**
 * Waits until no cash win is reserved (every saga ended), then reconciles once with the provider
 * asked about every win. Each read has its own deadline and is asked again when it passes: wrangler's
 * dev proxy parks a GET whose hop to the runtime failed (as it does while the runtime releases
 * thousands of idle actors at once, docs/reliability.md) until the next reload, so a single read
 * could wait forever.
 */
async function settle(origin: string, admin: string, campaignId: string): Promise<{ recon: Reconciliation; afterS: number | null }> {
  const start = performance.now();
  const read = async (provider: boolean): Promise<Reconciliation> => {
    const path = `/v1/admin/campaigns/${campaignId}/reconcile${provider ? "?provider=true" : ""}`;
    for (let attempt = 1; ; attempt++) {
      try {
        return await adminCall<Reconciliation>(origin, admin, "GET", path, undefined, READ_TIMEOUT_MS);
      } catch (error) {
        if (attempt >= READ_ATTEMPTS) throw error;
        console.error(`[flash] ${path}: ${error instanceof Error ? error.message : String(error)}; asking again`);
      }
    }
  };
  let recon = await read(false);
  while (recon.totals.cash.reserved.count > 0 && performance.now() - start < SETTLE_MS) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    recon = await read(false);
  }
  const afterS = recon.totals.cash.reserved.count === 0 ? (performance.now() - start) / 1000 : null;
  return { recon: await read(true), afterS };
}

async function flashRound(origin: string, shards: number, runId: string, providerOrigin: string): Promise<FlashResult> {
  const admin = await adminToken();
  const campaignId = `flash-${runId}-n${shards}`;
  await adminCall(origin, admin, "POST", "/v1/admin/campaigns", flashCampaign(campaignId, shards, USERS));
  await adminCall(origin, admin, "PUT", `/v1/admin/bots/shop/versions/${campaignId}`, shopDrawingFrom(campaignId, campaignId));
  await adminCall(origin, admin, "PUT", "/v1/admin/bots/shop/rollout", { stable: campaignId });
  // Every isolate picks the new rollout up within its TTL (2 s by default).
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const run = await crowd(origin, campaignId, "我要抽奖");
  const { recon, afterS } = await settle(origin, admin, campaignId);
  const ledger = (await (await fetch(`${providerOrigin}/__fake/ledger`)).json()) as FakeLedger;
  const providerPaid = ledger.payments.filter((p) => p.status === "paid" && p.reference.startsWith(`${campaignId}:`)).reduce((sum, p) => sum + p.amount, 0);
  const hottest = Math.max(...recon.shards.map((s) => s.draws));
  return {
    shards,
    draws: recon.totals.draws,
    errors: run.errors,
    drawsPerSecond: run.perSecond,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    hottestShare: recon.totals.draws > 0 ? hottest / recon.totals.draws : 0,
    settledAfterS: afterS,
    reserved: recon.totals.cash.reserved.count,
    paid: recon.totals.cash.paid,
    released: recon.totals.cash.released,
    providerPaid,
    reconciled: recon.ok,
  };
}

function report(results: readonly FlashResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.shards} | ${r.draws} | ${r.errors} | ${r.drawsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(0)} / ${r.p99Ms.toFixed(0)} | ${(r.hottestShare * 100).toFixed(1)} % | ${r.settledAfterS === null ? `no (${r.reserved} reserved)` : `${r.settledAfterS.toFixed(0)} s`} | ${r.paid.count} · ¥${(r.paid.amount / 100).toFixed(2)} | ${r.released.count} | ¥${(r.providerPaid / 100).toFixed(2)} | ${r.reconciled && r.paid.amount === r.providerPaid ? "yes" : "NO"} |`,
  );
  return [
    "| shards | draws | errors | draws/s | p50 / p99 ms | hottest shard | all settled | paid | released | provider paid | ledger = provider |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ...rows,
  ].join("\n");
}

/**
 * A fresh dev server per round: every new user is a Durable Object, and locally each keeps its
 * SQLite files open. A round that fails (or does not settle) prints the runtime's last output,
 * where a restart of workerd ("SQLITE_NOMEM", "restarted mid-request") shows.
 */
async function withSystem<T extends object>(providerOrigin: string, work: (origin: string) => Promise<T>): Promise<T> {
  const system = await startSystem("wrangler.toml", process.cwd(), { PAYMENT_PROVIDER: "http", PAYMENT_BASE_URL: providerOrigin, PAYMENT_SECRET: SECRET });
  try {
    const result = await work(system.origin);
    if ("settledAfterS" in result && result.settledAfterS === null)
      console.error(`[flash] the round did not settle; the runtime's last output:\n${system.logTail()}`);
    return result;
  } catch (error) {
    console.error(`[flash] the round failed; the runtime's last output:\n${system.logTail()}`);
    throw error;
  } finally {
    await system.stop();
  }
}

const providerPort = await freePort();
const provider = await startFakeProvider(providerPort, SECRET);
const providerOrigin = `http://127.0.0.1:${providerPort}`;
const runId = Date.now().toString(36);
const results: FlashResult[] = [];
let baseline: Crowd | undefined;
try {
  console.log(`[flash] baseline: ${USERS} new users saying hello once…`);
  baseline = await withSystem(providerOrigin, (origin) => crowd(origin, `flash-${runId}-hello`, "hello"));
  console.log(`[flash] baseline ${JSON.stringify(baseline)}`);
  for (const shards of SHARD_COUNTS) {
    console.log(`[flash] ${USERS} users, ${shards} shard(s)…`);
    const result = await withSystem(providerOrigin, (origin) => flashRound(origin, shards, runId, providerOrigin));
    console.log(`[flash] ${JSON.stringify(result)}`);
    results.push(result);
  }
} finally {
  provider.kill();
}
if (baseline) {
  const b = baseline;
  console.log(
    `baseline (a new user's first turn, no draw): ${b.perSecond.toFixed(0)} turns/s, p50 / p99 ${b.p50Ms.toFixed(0)} / ${b.p99Ms.toFixed(0)} ms, ${b.errors} errors`,
  );
  for (const r of results)
    console.log(`N = ${r.shards}: draws/s ${(r.drawsPerSecond / b.perSecond).toFixed(2)} × the baseline, p99 ${(r.p99Ms / b.p99Ms).toFixed(2)} ×`);
}
console.log(report(results));
const broken = results.filter((r) => r.settledAfterS === null || !r.reconciled || r.paid.amount !== r.providerPaid);
if (broken.length > 0) {
  console.error(`[flash] ${broken.length} round(s) did not settle or reconcile`);
  process.exitCode = 1;
}
