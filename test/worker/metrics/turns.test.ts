import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConversationActor } from "../../../durable-objects/conversation/conversation-actor.js";
import { call, errorOf, say, talkUntilSnapshotDue, tokenFor } from "../helpers.js";
import { eventually, markedShop, publish, setRollout, turn } from "../registry/fixtures.js";
import { liveSocket } from "../ws-client.js";
import { deltas, metricsAdmin, movedBy, scrape, scrapeUntil } from "./scrape.js";

const actorOf = (userId: string) => env.CONVERSATION.getByName(userId);
const V1 = 'bot="shop",version="1"';
const V2 = 'bot="shop",version="2"';

/**
 * /metrics end to end in workerd: real actors, the real batcher and aggregator shards. Each
 * test drives traffic, then reads the counters' movement; the counts must be exact.
 */
describe("GET /metrics", { timeout: 30_000 }, () => {
  let admin: string;

  beforeAll(async () => {
    admin = await metricsAdmin();
  });

  it("is admin-only and answers Prometheus text", async () => {
    expect((await call("/metrics")).status).toBe(401);
    const chat = await call("/metrics", { token: await tokenFor("nosy") });
    expect(chat.status).toBe(403);
    expect((await errorOf(chat)).code).toBe("forbidden");
    const response = await call("/metrics", { token: admin });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const lines = (await response.text()).trimEnd().split("\n");
    for (const line of lines) expect(line).toMatch(/^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{([a-z_]+="[^"]*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf))$/);
    expect(lines).toContain("# TYPE parley_http_request_duration_seconds histogram");
    expect(lines).toContain('parley_metrics_shards{state="unreachable"} 0');
  });

  it("counts turns by version and cohort, intents, fallbacks and handoffs, exactly", async () => {
    expect((await publish(admin, "shop", "2", markedShop("2", "[v2]"))).status).toBe(201);
    expect((await setRollout(admin, "shop", { stable: "1", canary: { version: "2", suffixes: ["7"] } })).status).toBe(200);
    const [canary, stable] = await Promise.all([tokenFor("metrics-user-7"), tokenFor("metrics-user-3")]);
    await eventually(async () => ((await turn(await tokenFor("probe-7"), "hello")).botVersion === "2" ? true : undefined));

    const before = await scrape(admin);
    await turn(canary, "hello");
    await turn(canary, "what's the weather like on Mars");
    await turn(stable, "hello");
    await turn(stable, "what's the weather like on Mars");
    await turn(stable, "I want to talk to a human");
    const expected = {
      [`parley_turns_total{${V2},cohort="canary"}`]: 2,
      [`parley_turns_total{${V1},cohort="stable"}`]: 3,
      [`parley_intents_total{${V2},intent="greet"}`]: 1,
      [`parley_intents_total{${V1},intent="greet"}`]: 1,
      [`parley_intents_total{${V1},intent="none"}`]: 1,
      [`parley_intents_total{${V1},intent="handoff"}`]: 1,
      [`parley_fallbacks_total{${V2},cohort="canary",reason="low_confidence"}`]: 1,
      [`parley_fallbacks_total{${V1},cohort="stable",reason="low_confidence"}`]: 1,
      [`parley_handoffs_total{${V1},cohort="stable"}`]: 1,
      'parley_http_requests_total{route="/v1/messages",method="POST",status="200"}': 5,
      'parley_http_request_duration_seconds_count{route="/v1/messages",method="POST"}': 5,
    };
    expect(await movedBy(admin, before, expected)).toEqual(expected);
    // Nothing more arrives later: the counts were exact, not merely "at least".
    expect(deltas(before, await scrape(admin), Object.keys(expected))).toEqual(expected);
    await setRollout(admin, "shop", { stable: "1" });
  });

  it("labels requests by route pattern and status, never by raw path", async () => {
    const before = await scrape(admin);
    await call("/v1/admin/conversations/someone-1", { token: admin });
    await call("/v1/admin/conversations/someone-2", { token: admin });
    await call("/v1/no/such/route");
    await say(await tokenFor("metrics-bad-body"), "");
    const route = (path: string, status: number, method = "GET") => `parley_http_requests_total{route="${path}",method="${method}",status="${status}"}`;
    const expected = { [route("/v1/admin/conversations/:userId", 200)]: 2, [route("unmatched", 404)]: 1, [route("/v1/messages", 400, "POST")]: 1 };
    expect(await movedBy(admin, before, expected)).toEqual(expected);
    expect((await scrape(admin)).text).not.toContain("someone-1");
  });

  it("tells warm turns from cold loads: the actor hit ratio", async () => {
    const user = "metrics-warmth";
    const token = await tokenFor(user);
    const before = await scrape(admin);
    for (const text of ["hello", "thanks", "hello"]) await turn(token, text);
    await evictDurableObject(actorOf(user));
    await turn(token, "hello");
    const expected = { 'parley_actor_turns_total{start="cold"}': 2, 'parley_actor_turns_total{start="warm"}': 2, parley_actor_cold_loads_total: 2 };
    expect(await movedBy(admin, before, expected)).toEqual(expected);
    const after = await scrape(admin);
    const warm = after.get('parley_actor_turns_total{start="warm"}');
    expect(after.get("parley_actor_hit_ratio")).toBeCloseTo(warm / after.sum("parley_actor_turns_total"), 9);
  });

  it("counts snapshots written and snapshots whose MAC fails", async () => {
    const user = "metrics-snapshots";
    const token = await tokenFor(user);
    const before = await scrape(admin);
    await turn(token, "do you have running shoes in size 39?");
    await talkUntilSnapshotDue(token, user);
    expect(await runDurableObjectAlarm(actorOf(user))).toBe(true);
    await runInDurableObject(actorOf(user), (_: ConversationActor, state) => {
      state.storage.sql.exec("UPDATE snapshots SET body = replace(body, '\"value\":39', '\"value\":44')");
    });
    await evictDurableObject(actorOf(user));
    expect((await call("/v1/conversation", { token })).status).toBe(200);
    const expected = { parley_snapshots_written_total: 1, 'parley_snapshot_mac_failures_total{reason="bad_mac"}': 1 };
    expect(await movedBy(admin, before, expected)).toEqual(expected);
  });

  it("shows open WebSockets over every actor: accepted minus closed", async () => {
    const before = await scrape(admin);
    const [alice, bob] = await Promise.all([tokenFor("metrics-ws-a"), tokenFor("metrics-ws-b")]);
    const sockets = await Promise.all([liveSocket(alice), liveSocket(alice), liveSocket(bob)]);
    const open = (now: { get(key: string): number }) => now.get("parley_websockets_open") - before.get("parley_websockets_open");
    expect(open(await scrapeUntil(admin, (now) => open(now) === 3))).toBe(3);
    sockets[0]?.close();
    expect(open(await scrapeUntil(admin, (now) => open(now) === 2))).toBe(2);
    // An erased conversation closes its sockets from the actor's side: those count as closed too.
    expect((await call("/v1/conversation", { method: "DELETE", token: alice })).status).toBe(204);
    sockets[2]?.close();
    const after = await scrapeUntil(admin, (now) => open(now) === 0);
    expect(deltas(before, after, ["parley_websockets_opened_total", "parley_websockets_closed_total"])).toEqual({
      parley_websockets_opened_total: 3,
      parley_websockets_closed_total: 3,
    });
  });
});
