/**
 * Agents: users ask for a human and wait in a queue; several agents claim each entry at the same
 * instant, and the winner's reply is sent twice at once (a page retrying after its connection
 * dropped mid-reply). One owner per entry — one 200, every other claim 409 — and exactly one
 * agent message in each user's history.
 */

import { adminCall, adminToken } from "../../bench/flash-setup.js";
import { agentTokenOf, openAgentSocket, shopHandingOffTo } from "../../bench/handoff-setup.js";
import type { ChaosContext, Fault } from "../fault.js";
import { sleep } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import { RawSocket } from "../raw-socket.js";

const AGENTS = 4;

export const agents: Fault = {
  name: "agents",
  async run(context: ChaosContext): Promise<FaultFigures> {
    const { api } = context;
    const users = Array.from({ length: context.smoke ? 8 : 30 }, (_, i) => `${context.runId}-help-u${i}`);
    const tally = new Tally();
    const started = Date.now();
    const queue = `chaos_${context.runId}`;
    const admin = await adminToken();
    await adminCall(api.origin, admin, "PUT", `/v1/admin/bots/shop/versions/${queue}`, shopHandingOffTo(queue, queue));
    await adminCall(api.origin, admin, "PUT", "/v1/admin/bots/shop/rollout", { stable: queue });
    const tokens = await Promise.all(Array.from({ length: AGENTS }, (_, i) => agentTokenOf(`${context.runId}-agent-${i}`)));
    // The gateway may still hold the previous rollout for ROLLOUT_TTL_MS + MAX_STALE_MS (4.5 s):
    // until then the new queue is a 404 and the handshake fails; the page reconnects, as a page does.
    const presence = await withRetries(
      () => openAgentSocket(api.origin, tokens[0] ?? "", "shop", queue),
      () => upgradeAnswer(api.origin, `/v1/agent/ws?bot=shop&queue=${queue}`, tokens[0] ?? ""),
      tally,
    );
    await sleep(2_500); // the rollout reaches every isolate
    await api.turn(`${queue}-warmup`, "hello", `${queue}-warmup`);
    for (const user of users) tally.attempt(await api.turn(user, "human please", `${user}-human`));
    const path = `/v1/agent/queues/shop/${queue}`;
    const line = await lineOf(api.origin, tokens[0] ?? "", path, users.length);
    if (line.length < users.length) tally.broke(`only ${line.length} of ${users.length} users reached the line`);
    for (const entryId of line) await claimRace(api.origin, path, entryId, tokens, tally);
    presence.close();
    for (const user of users) {
      const { messages } = await api.history(user);
      const agentMessages = messages.filter((message) => (message.role as string) === "agent").length;
      if (agentMessages !== 1) tally.broke(`${user}: ${agentMessages} agent messages in history (want 1)`);
    }
    return figuresOf(
      "agents: claim races",
      `${users.length} entries × ${AGENTS} agents claiming at once, the reply sent twice`,
      tally,
      (Date.now() - started) / 1000,
    );
  },
};

async function call(origin: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(origin + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
}

async function lineOf(origin: string, token: string, path: string, count: number): Promise<string[]> {
  let line: string[] = [];
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(300)) {
    const answer = await call(origin, "GET", path, token);
    if (answer.status === 200) line = (JSON.parse(answer.text) as { line: { entryId: string }[] }).line.map((entry) => entry.entryId);
    if (line.length >= count) break;
  }
  return line;
}

/** Every agent claims `entryId` at once; the winner replies twice at once with one messageId. */
async function claimRace(origin: string, path: string, entryId: string, tokens: readonly string[], tally: Tally): Promise<void> {
  const claims = await Promise.all(tokens.map((token) => call(origin, "POST", `${path}/entries/${entryId}/claim`, token)));
  const winners = claims.flatMap((claim, i) => (claim.status === 200 ? [i] : []));
  const others = claims.filter((claim) => claim.status !== 200 && claim.status !== 409);
  for (const other of others) tally.sample(`claim ${other.status}`, other.text);
  if (winners.length !== 1) {
    tally.broke(`${entryId}: ${winners.length} agents won the claim`);
    return;
  }
  tally.acknowledged++;
  const winner = tokens[winners[0] ?? 0] ?? "";
  const body = { messageId: `chaos-${entryId}`, text: "Hi, I'm on it." };
  const replies = await Promise.all([0, 1].map(() => call(origin, "POST", `${path}/entries/${entryId}/reply`, winner, body)));
  if (replies.some((reply) => reply.status !== 200)) tally.broke(`${entryId}: reply answered ${replies.map((reply) => reply.status).join(", ")}`);
  const loser = tokens.find((_, i) => i !== winners[0]) ?? "";
  const stolen = await call(origin, "POST", `${path}/entries/${entryId}/reply`, loser, { messageId: `steal-${entryId}`, text: "mine" });
  if (stolen.status !== 403) tally.broke(`${entryId}: another agent's reply answered ${stolen.status} (want 403)`);
}

/** Past the rollout's staleness bound (ROLLOUT_TTL_MS + MAX_STALE_MS = 4.5 s), with room for a busy machine. */
const PAGE_RECONNECTS = 8;

/**
 * An agent's page reconnects, once a second, when its socket fails to open. A WebSocket says
 * only 1006 when the handshake is refused: the same upgrade is sent again on a bare connection
 * to note what was answered (a 404 while the gateway still holds the previous rollout).
 */
async function withRetries<T>(open: () => Promise<T>, diagnose: () => Promise<string>, tally: Tally): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const opened = await open();
      if (attempt > 1) tally.notes.push(`the agent's page opened its socket at try ${attempt}`);
      return opened;
    } catch (error) {
      const why = `${String(error)}; the same upgrade again: ${await diagnose()}`;
      tally.sample("agent socket", why);
      if (attempt === PAGE_RECONNECTS) throw new Error(why);
      await sleep(1_000);
    }
  }
}

/** The status line a bare upgrade to `path` is answered with. */
async function upgradeAnswer(origin: string, path: string, token: string): Promise<string> {
  try {
    (await RawSocket.open(origin, path, ["parley.v1", `bearer.${token}`])).drop();
    return "101 Switching Protocols";
  } catch (error) {
    return String(error).split("\r\n")[0] ?? "";
  }
}
