import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import shop from "../../../bots/shop.json";
import type { AdminHandoffAnswer } from "../../../src/protocol/admin-handoff.js";
import type { QueueView } from "../../../src/protocol/agent.js";
import { BASE } from "../helpers.js";
import { metricsAdmin, movedBy, scrape } from "../metrics/scrape.js";
import { adminToken, publish, setRollout } from "../registry/fixtures.js";
import { AgentSocket, agentToken, call, realConversation, summaryOf } from "./fixtures.js";

// A bot of this file alone, so its counters and queues move only with what this file does.
const BOT = "helpdesk";
const queueOf = (queue = "general") => env.HANDOFF.getByName(`${BOT}:${queue}`);
const key = (name: string, labels: Record<string, string> = {}) =>
  `${name}{${Object.entries({ bot: BOT, queue: "general", ...labels })
    .map(([label, value]) => `${label}="${value}"`)
    .join(",")}}`;

beforeAll(async () => {
  const handoff = { queues: ["general", "orders"], maxWaitSeconds: 300, satisfaction: true };
  const admin = await adminToken();
  expect([200, 201]).toContain((await publish(admin, BOT, "m-1", { ...shop, id: BOT, version: "m-1", handoff })).status);
  expect((await setRollout(admin, BOT, { stable: "m-1" })).status).toBe(200);
});

/** A real conversation put in line (its wait started `waitedMs` ago): its id and the entry agents see. */
async function waiting(user: string, text: string, waitedMs = 0): Promise<{ conversationId: string; entryId: string }> {
  const conversationId = await realConversation(user);
  const request = { conversationId, user: `pseudo-${user}`, bot: BOT, queue: "general", summary: summaryOf(text), maxWaitSeconds: 300 };
  await queueOf().enqueue({ ...request, at: Date.now() - waitedMs });
  await queueOf().enqueue({ ...request, at: Date.now() }); // again while waiting: the same entry, nothing counted
  const view = (await (await call(`/v1/agent/queues/${BOT}/general`, { token: await agentToken("metrics-anna") })).json()) as QueueView;
  const entry = view.line.find((candidate) => candidate.summary.lastMessages.some((message) => message.text === text));
  if (!entry) throw new Error(`"${text}" is not in line`);
  return { conversationId, entryId: entry.entryId };
}

/** An agent's socket on this bot's queue: the agent is online there. */
async function onlineAt(token: string, queue = "general"): Promise<AgentSocket> {
  const headers = { upgrade: "websocket", "sec-websocket-protocol": `parley.v1, bearer.${token}` };
  const response = await exports.default.fetch(new Request(`${BASE}/v1/agent/ws?bot=${BOT}&queue=${queue}`, { headers }));
  expect(response.status).toBe(101);
  if (!response.webSocket) throw new Error("no webSocket on the 101 answer");
  const socket = new AgentSocket(response.webSocket);
  await socket.until("line");
  return socket;
}

const act = (token: string, entryId: string, action: string, json?: unknown) =>
  call(`/v1/agent/queues/${BOT}/general/entries/${entryId}/${action}`, { method: "POST", token, ...(json ? { json } : {}) });

describe("handoff metrics at GET /metrics", () => {
  it("enqueue, claim (a race), end, transfer, cancel, ticket and rating move their counters exactly once", async () => {
    const ops = await metricsAdmin();
    const before = await scrape(ops);
    const agents = await Promise.all(["metrics-anna", "metrics-bob", "metrics-cleo"].map((id) => agentToken(id)));
    const anna = agents[0] ?? "";

    const ended = await waiting("metrics-ended", "end me", 45_000);
    const claims = await Promise.all(agents.map((token) => act(token, ended.entryId, "claim")));
    expect(claims.map((answer) => answer.status).sort()).toEqual([200, 409, 409]);
    const holder = agents[claims.findIndex((answer) => answer.status === 200)] ?? "";
    expect((await act(holder, ended.entryId, "end")).status).toBe(200);
    expect((await act(holder, ended.entryId, "end")).status).toBe(403);
    await queueOf().rated(ended.conversationId, 4);
    await queueOf().rated(ended.conversationId, 1); // the entry is rated already: not counted

    const moved = await waiting("metrics-moved", "move me");
    expect((await act(anna, moved.entryId, "claim")).status).toBe(200);
    expect((await act(anna, moved.entryId, "transfer", { toQueue: "orders" })).status).toBe(200);

    const left = await waiting("metrics-left", "let go of me");
    expect((await act(anna, left.entryId, "claim")).status).toBe(200);
    await queueOf().cancel(left.conversationId, "user_cancelled");

    const gone = await waiting("metrics-gone", "abandon me");
    await queueOf().cancel(gone.conversationId, "user_cancelled");
    await queueOf().cancel(gone.conversationId, "user_cancelled");

    const ticketed = await waiting("metrics-ticket", "ticket me");
    const ticket = { conversationId: ticketed.conversationId, user: "pseudo-ticket", text: "call me back", summary: summaryOf("ticket me"), at: 7_000 };
    await queueOf().leaveTicket(ticket);
    await queueOf().leaveTicket(ticket); // the same ticket again
    await queueOf().cancel(ticketed.conversationId, "ticket"); // left as a ticket: not abandoned

    const expected = {
      [key("parley_handoff_enqueued_total")]: 5,
      [key("parley_handoff_enqueued_total", { queue: "orders" })]: 1,
      [key("parley_handoff_claimed_total")]: 3,
      [key("parley_handoff_wait_seconds_count")]: 3,
      [key("parley_handoff_wait_seconds_bucket", { le: "30" })]: 2,
      [key("parley_handoff_wait_seconds_bucket", { le: "60" })]: 3,
      [key("parley_handoff_handled_total", { resolution: "resolved" })]: 1,
      [key("parley_handoff_handled_total", { resolution: "transferred" })]: 1,
      [key("parley_handoff_handled_total", { resolution: "user_cancelled" })]: 1,
      [key("parley_handoff_abandoned_total")]: 1,
      [key("parley_handoff_tickets_total")]: 1,
      [key("parley_handoff_ratings_total", { score: "4" })]: 1,
      [key("parley_handoff_ratings_total", { score: "1" })]: 0,
    };
    expect(await movedBy(ops, before, expected)).toEqual(expected);
  });
});

describe("GET /v1/admin/handoff", () => {
  it("answers every queue of the bot with the queue's own figures; /metrics has waiting now and agents online as gauges", async () => {
    const before = await queueOf().stats();
    const socket = await onlineAt(await agentToken("metrics-dana"));
    await waiting("metrics-admin-1", "still waiting 1", 10_000);
    await waiting("metrics-admin-2", "still waiting 2");
    const response = await call(`/v1/admin/handoff?bot=${BOT}`, { token: await metricsAdmin() });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as AdminHandoffAnswer;
    const mine = answer.queues.filter((row) => row.bot === BOT);
    expect(mine.map((row) => row.queue)).toEqual(["general", "orders"]);
    const general = mine.find((row) => row.queue === "general")?.stats;
    expect(general).toEqual(await queueOf().stats());
    expect(general).toMatchObject({ waiting: before.waiting + 2, agentsOnline: 1, handled: before.handled, abandoned: before.abandoned });
    expect(answer.unreachable).toEqual([]);
    const gauges = await scrape(await metricsAdmin());
    expect(gauges.get(key("parley_handoff_waiting"))).toBe(before.waiting + 2);
    expect(gauges.get(key("parley_handoff_agents_online"))).toBe(1);
    socket.close();
  });

  it("is for admins: an agent token gets 403, no token 401", async () => {
    expect((await call("/v1/admin/handoff", { token: await agentToken("metrics-anna") })).status).toBe(403);
    expect((await call("/v1/admin/handoff")).status).toBe(401);
  });
});
