/**
 * The human-handoff benchmark (issue 21; bench/README.md): `--conversations` shoppers (default
 * 1,000) each say "human please" once and wait in one queue; then `--agents` agents (default 50)
 * claim over REST and reply once to each conversation they win, as fast as they can, each picking
 * among the first waiting entries as a person would. Reports claims/s, claim and reply p50/p99,
 * conflicts (409: another agent was first), and checks afterwards that every conversation was
 * claimed exactly once and holds exactly one agent message in its history. A baseline in the same
 * run: as many new users saying hello once (the turn path of conversations that never hand off).
 *
 *   npm run bench:handoff [-- --conversations 1000 --agents 50 --connections 64]
 *   npm run bench:handoff -- --smoke          (50 conversations, 5 agents)
 */
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { adminCall, adminToken } from "./flash-setup.js";
import type { Timed } from "./handoff-setup.js";
import { agentTokenOf, openAgentSocket, shopHandingOffTo, timed } from "./handoff-setup.js";
import { runAll } from "./load.js";
import { startSystem } from "./runtime.js";
import { summarize } from "./stats.js";
import { TokenBook } from "./tokens.js";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "1000" },
    agents: { type: "string", default: "50" },
    connections: { type: "string", default: "64" },
    smoke: { type: "boolean", default: false },
  },
});
const CONVERSATIONS = values.smoke ? 50 : Number(values.conversations);
const AGENTS = values.smoke ? 5 : Number(values.agents);
const CONNECTIONS = Number(values.connections);
const BOT = "shop";
const QUEUE = "bench";
const queuePath = `/v1/agent/queues/${BOT}/${QUEUE}`;

interface Crowd {
  perSecond: number;
  errors: number;
  errorKinds: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  /** the users whose turn was answered */
  served: string[];
}

interface AgentRun {
  claimsPerSecond: number;
  seconds: number;
  claimed: number;
  conflicts: number;
  otherErrors: Record<string, number>;
  claim: { p50: number; p99: number };
  reply: { p50: number; p99: number };
  /** entries won more than once (must be 0) */
  claimedTwice: number;
}

interface Check {
  waitingAfter: number;
  handled: number;
  waitP50Seconds: number | null;
  waitP90Seconds: number | null;
  /** conversations whose history holds exactly one agent message */
  oneAgentMessage: number;
  histories: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let firstError = "";

/** `CONVERSATIONS` new users, each sending `text` once, `CONNECTIONS` at a time. */
async function crowd(pool: Pool, users: readonly string[], tokens: TokenBook, text: string): Promise<Crowd> {
  const latencies: number[] = [];
  const served: string[] = [];
  const started = performance.now();
  const run = await runAll(users.length, CONNECTIONS, async (i) => {
    const answer = await timed(pool, "POST", "/v1/messages", await tokens.get(users[i] ?? ""), {
      text,
      clientMessageId: `m-${i}`,
    });
    if (answer.status !== 200) {
      if (!firstError) console.error(`[handoff] first failed turn: ${answer.status} ${(firstError = JSON.stringify(answer.body).slice(0, 300))}`);
      return { ok: false, kind: answer.status === 0 ? String(answer.body) : `http ${answer.status}` };
    }
    latencies.push(answer.ms);
    served.push(users[i] ?? "");
    return { ok: true };
  });
  const seconds = (performance.now() - started) / 1000;
  const latency = summarize(latencies);
  return { perSecond: (users.length - run.errors) / seconds, errors: run.errors, errorKinds: run.errorKinds, p50Ms: latency.p50, p99Ms: latency.p99, served };
}

/** The waiting line's entry ids, first come first served, once it holds `count` entries. */
async function lineOf(pool: Pool, token: string, count: number): Promise<string[]> {
  for (const deadline = Date.now() + 60_000; ; await sleep(500)) {
    const view = await timed<{ line: { entryId: string }[] }>(pool, "GET", queuePath, token);
    const line = view.status === 200 ? view.body.line.map((entry) => entry.entryId) : [];
    if (line.length >= count) return line;
    if (Date.now() > deadline) {
      console.error(`[handoff] the line never held ${count}: ${view.status} ${JSON.stringify(view.body).slice(0, 200)}`);
      return line;
    }
  }
}

/**
 * `AGENTS` agents claim and reply until the line is empty. Each looks at the first waiting
 * entries (as many as there are agents) and claims one of them at random: two agents picking the
 * same one at once is the race the queue must settle (one 200, the other 409).
 */
async function agentsAt(pool: Pool, line: readonly string[]): Promise<AgentRun> {
  const tokens = await Promise.all(Array.from({ length: AGENTS }, (_, i) => agentTokenOf(`bench-agent-${i}`)));
  const settled = new Set<string>();
  const wins = new Map<string, number>();
  const claimMs: number[] = [];
  const replyMs: number[] = [];
  const otherErrors: Record<string, number> = {};
  let conflicts = 0;
  let cursor = 0;
  const pick = (): string | undefined => {
    while (cursor < line.length && settled.has(line[cursor] ?? "")) cursor++;
    const window: string[] = [];
    for (let i = cursor; i < line.length && window.length < AGENTS; i++) if (!settled.has(line[i] ?? "")) window.push(line[i] ?? "");
    return window[Math.floor(Math.random() * window.length)];
  };
  const fail = (kind: string) => void (otherErrors[kind] = (otherErrors[kind] ?? 0) + 1);
  const agent = async (token: string) => {
    for (let entryId = pick(); entryId !== undefined; entryId = pick()) {
      const claim: Timed<unknown> = await timed(pool, "POST", `${queuePath}/entries/${entryId}/claim`, token);
      claimMs.push(claim.ms);
      if (claim.status === 409) conflicts++;
      if (claim.status === 200 || claim.status === 409) settled.add(entryId);
      if (claim.status !== 200) {
        if (claim.status !== 409) fail(`claim ${claim.status}`);
        continue;
      }
      wins.set(entryId, (wins.get(entryId) ?? 0) + 1);
      const reply = await timed(pool, "POST", `${queuePath}/entries/${entryId}/reply`, token, { messageId: `r-${entryId}`, text: "Hi, I'm on it." });
      if (reply.status === 200) replyMs.push(reply.ms);
      else fail(`reply ${reply.status}`);
    }
  };
  const started = performance.now();
  await Promise.all(tokens.map(agent));
  const seconds = (performance.now() - started) / 1000;
  const claim = summarize(claimMs);
  const reply = summarize(replyMs);
  return {
    claimsPerSecond: wins.size / seconds,
    seconds,
    claimed: wins.size,
    conflicts,
    otherErrors,
    claim: { p50: claim.p50, p99: claim.p99 },
    reply: { p50: reply.p50, p99: reply.p99 },
    claimedTwice: [...wins.values()].filter((n) => n > 1).length,
  };
}

/** Afterwards: the queue's own figures (GET /v1/admin/handoff) and every user's history. */
async function check(pool: Pool, origin: string, admin: string, users: readonly string[], tokens: TokenBook): Promise<Check> {
  type Row = { bot: string; queue: string; stats: { waiting: number; handled: number; waitP50Seconds: number | null; waitP90Seconds: number | null } };
  const answer = await adminCall<{ queues: Row[] }>(origin, admin, "GET", `/v1/admin/handoff?bot=${BOT}`);
  const stats = answer.queues.find((row) => row.bot === BOT && row.queue === QUEUE)?.stats;
  let oneAgentMessage = 0;
  await runAll(users.length, CONNECTIONS, async (i) => {
    const page = await timed<{ messages: { role: string }[] }>(pool, "GET", "/v1/conversation/messages?limit=200", await tokens.get(users[i] ?? ""));
    if (page.status !== 200) return { ok: false, kind: `history ${page.status}` };
    if (page.body.messages.filter((message) => message.role === "agent").length === 1) oneAgentMessage++;
    return { ok: true };
  });
  return {
    waitingAfter: stats?.waiting ?? -1,
    handled: stats?.handled ?? -1,
    waitP50Seconds: stats?.waitP50Seconds ?? null,
    waitP90Seconds: stats?.waitP90Seconds ?? null,
    oneAgentMessage,
    histories: users.length,
  };
}

function report(baseline: Crowd, asked: Crowd, inLine: number, run: AgentRun, checked: Check): string {
  const ms = (value: number) => value.toFixed(0);
  return [
    `| in line | agents | claims/s | claim p50 / p99 ms | reply p50 / p99 ms | conflicts (409) | other errors | claimed once | one agent message each |`,
    "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    `| ${inLine} | ${AGENTS} | ${run.claimsPerSecond.toFixed(0)} | ${ms(run.claim.p50)} / ${ms(run.claim.p99)} | ${ms(run.reply.p50)} / ${ms(run.reply.p99)} | ${run.conflicts} | ${JSON.stringify(run.otherErrors)} | ${run.claimed} of ${inLine}, ${run.claimedTwice} twice | ${checked.oneAgentMessage} of ${checked.histories} |`,
    "",
    `"human please" turns: ${asked.perSecond.toFixed(0)}/s, p50 / p99 ${ms(asked.p50Ms)} / ${ms(asked.p99Ms)} ms, ${inLine} then in line, ${asked.errors} errors ${JSON.stringify(asked.errorKinds)}`,
    `baseline (a new user's "hello", no handoff): ${baseline.perSecond.toFixed(0)} turns/s, p50 / p99 ${ms(baseline.p50Ms)} / ${ms(baseline.p99Ms)} ms, ${baseline.errors} errors ${JSON.stringify(baseline.errorKinds)}`,
    `queue afterwards (GET /v1/admin/handoff): ${checked.waitingAfter} waiting, ${checked.handled} handled, wait p50 / p90 ${checked.waitP50Seconds ?? "–"} / ${checked.waitP90Seconds ?? "–"} s`,
  ].join("\n");
}

async function main(): Promise<boolean> {
  const runId = Date.now().toString(36);
  const system = await startSystem("wrangler.toml", process.cwd());
  const pool = new Pool(system.origin, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
  try {
    const admin = await adminToken();
    const version = `handoff-bench-${runId}`;
    await adminCall(system.origin, admin, "PUT", `/v1/admin/bots/${BOT}/versions/${version}`, shopHandingOffTo(QUEUE, version));
    await adminCall(system.origin, admin, "PUT", `/v1/admin/bots/${BOT}/rollout`, { stable: version });
    await sleep(2_500); // every isolate takes the rollout within its TTL (2 s by default)
    const anchorToken = await agentTokenOf("bench-anchor");
    const anchor = await openAgentSocket(system.origin, anchorToken, BOT, QUEUE);
    const tokens = new TokenBook();
    const hello = Array.from({ length: CONVERSATIONS }, (_, i) => `handoff-${runId}-hello-${i}`);
    const shoppers = Array.from({ length: CONVERSATIONS }, (_, i) => `handoff-${runId}-u${i}`);
    await tokens.mint([...hello, ...shoppers]);
    console.log(`[handoff] baseline: ${CONVERSATIONS} new users saying hello once…`);
    const baseline = await crowd(pool, hello, tokens, "hello");
    console.log(`[handoff] ${CONVERSATIONS} shoppers asking for a human…`);
    const asked = await crowd(pool, shoppers, tokens, "human please");
    const line = await lineOf(pool, anchorToken, CONVERSATIONS - asked.errors);
    console.log(`[handoff] ${line.length} waiting; ${AGENTS} agents claim and reply…`);
    const run = await agentsAt(pool, line);
    // A turn the local runtime dropped (503 "restarted mid-request", see README) put nobody in line: the check is over the others.
    const checked = await check(pool, system.origin, admin, asked.served, tokens);
    anchor.close();
    console.log(report(baseline, asked, line.length, run, checked));
    const inLine = asked.served.length;
    return line.length === inLine && run.claimed === inLine && run.claimedTwice === 0 && checked.oneAgentMessage === inLine && checked.waitingAfter === 0;
  } catch (error) {
    console.error(system.logTail());
    throw error;
  } finally {
    await pool.close();
    await system.stop();
  }
}

if (!(await main())) {
  console.error("[handoff] not every conversation in line was claimed exactly once with exactly one agent message");
  process.exitCode = 1;
}
