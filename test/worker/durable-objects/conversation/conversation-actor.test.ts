import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConversationActor } from "../../../../durable-objects/conversation/conversation-actor.js";
import { call, say, talkUntilSnapshotDue, tokenFor } from "../../helpers.js";

interface Turn {
  seq: number;
  reply: { text: string };
  duplicate: boolean;
  botVersion: string;
}

const actorOf = (userId: string) => env.CONVERSATION.getByName(userId);

async function turn(token: string, text: string, clientMessageId?: string): Promise<Turn> {
  const response = await say(token, text, clientMessageId);
  expect(response.status).toBe(200);
  return (await response.json()) as Turn;
}

async function view(token: string) {
  return (await (await call("/v1/conversation", { token })).json()) as {
    userId: string;
    seq: number;
    slots: Record<string, unknown>;
    activeFlow: string | null;
  };
}

async function exported(token: string): Promise<{ seq: number; type: string; data: Record<string, unknown> }[]> {
  const response = await call("/v1/conversation/export", { token });
  expect(response.headers.get("content-type")).toContain("application/x-ndjson");
  const text = await response.text();
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { seq: number; type: string; data: Record<string, unknown> });
}

describe("ConversationActor", () => {
  it("keeps the conversation across eviction from memory", async () => {
    const token = await tokenFor("evicted");
    const first = await turn(token, "hello", "e1");
    const second = await turn(token, "do you have running shoes in size 39?", "e2");
    await evictDurableObject(actorOf("evicted"));
    expect(await view(token)).toMatchObject({ seq: second.seq, slots: { size: 39, product: "running" } });
    const third = await turn(token, "thanks", "e3");
    expect(third.seq).toBeGreaterThan(second.seq);
    const history = (await (await call("/v1/conversation/messages?after=0&limit=200", { token })).json()) as { messages: { seq: number; role: string }[] };
    expect(history.messages.map((m) => m.role)).toEqual(["user", "bot", "user", "bot", "user", "bot"]);
    expect(history.messages[1]?.seq).toBe(first.seq);
  });

  it("answers a repeated clientMessageId with the first result and appends nothing", async () => {
    const token = await tokenFor("repeater");
    const first = await turn(token, "hello", "same-id");
    const events = (await exported(token)).length;
    const again = await turn(token, "something else entirely", "same-id");
    expect(again).toEqual({ ...first, duplicate: true });
    expect((await exported(token)).length).toBe(events);
    await evictDurableObject(actorOf("repeater"));
    expect(await turn(token, "hello", "same-id")).toEqual({ ...first, duplicate: true });
  });

  it("keeps working on tables an older version created, its dedupe records included", async () => {
    const token = await tokenFor("older-schema");
    const tables = (state: DurableObjectState) =>
      state.storage.sql.exec<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE name IN ('meta', 'dedupe') ORDER BY name").toArray();
    const first = await turn(token, "do you have running shoes in size 39?", "old-1");
    // What an older version left: meta a rowid table, the dedupe records in a table of their own.
    await runInDurableObject(actorOf("older-schema"), (_: ConversationActor, state) => {
      expect(tables(state).map((table) => [table.name, table.sql.endsWith("WITHOUT ROWID")])).toEqual([["meta", true]]);
      state.storage.sql.exec(`CREATE TABLE old_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO old_meta SELECT key, value FROM meta WHERE key NOT LIKE 'dedupe:%';
        CREATE TABLE dedupe (key TEXT PRIMARY KEY, seq INTEGER NOT NULL, result TEXT NOT NULL);
        INSERT INTO dedupe SELECT substr(key, 8), json_extract(value, '$.seq'), value FROM meta WHERE key LIKE 'dedupe:%';
        DROP TABLE meta; ALTER TABLE old_meta RENAME TO meta;`);
    });
    await evictDurableObject(actorOf("older-schema"));
    expect(await turn(token, "something else", "old-1")).toEqual({ ...first, duplicate: true });
    const second = await turn(token, "hello", "old-2");
    expect(second.seq).toBeGreaterThan(first.seq);
    await evictDurableObject(actorOf("older-schema"));
    expect(await turn(token, "again", "old-1")).toEqual({ ...first, duplicate: true });
    expect(await turn(token, "again", "old-2")).toEqual({ ...second, duplicate: true });
    expect(await view(token)).toMatchObject({ userId: "older-schema", seq: second.seq, slots: { size: 39, product: "running" } });
    const shapes = await runInDurableObject(actorOf("older-schema"), (_: ConversationActor, state) =>
      tables(state).map((table) => [table.name, table.sql.endsWith("WITHOUT ROWID")]),
    );
    expect(shapes).toEqual([["meta", false]]);
  });

  it("runs concurrent identical requests once", async () => {
    const token = await tokenFor("concurrent");
    const results = await Promise.all(Array.from({ length: 8 }, () => turn(token, "hello", "burst")));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.seq)).size).toBe(1);
    const messages = (await exported(token)).filter((e) => e.type.startsWith("message."));
    expect(messages).toHaveLength(2);
  });

  it("gives distinct turns distinct, increasing seqs under concurrency", async () => {
    const token = await tokenFor("parallel");
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => turn(token, "hello", `p${i}`)));
    const seqs = results.map((r) => r.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(6);
    const log = await exported(token);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  });

  it("schedules no snapshot for a short conversation: replaying a few events is cheaper", async () => {
    const token = await tokenFor("short-talk");
    await turn(token, "do you have running shoes in size 39?", "q1");
    expect(await runDurableObjectAlarm(actorOf("short-talk"))).toBe(false);
    await evictDurableObject(actorOf("short-talk"));
    expect((await view(token)).slots).toMatchObject({ size: 39 });
  });

  it("writes a sealed snapshot on the alarm and loads from it", async () => {
    const token = await tokenFor("snapshotted");
    await turn(token, "do you have running shoes in size 39?", "s1");
    await talkUntilSnapshotDue(token, "s");
    expect(await runDurableObjectAlarm(actorOf("snapshotted"))).toBe(true);
    const rows = await runInDurableObject(actorOf("snapshotted"), (_: ConversationActor, state) =>
      state.storage.sql.exec<{ seq: number; mac: string }>("SELECT seq, mac FROM snapshots").toArray(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.mac).toMatch(/^[0-9a-f]{64}$/);
    await evictDurableObject(actorOf("snapshotted"));
    await turn(token, "thanks", "s2");
    expect((await view(token)).slots).toMatchObject({ size: 39 });
  });

  it("ignores a snapshot whose MAC does not verify and rebuilds from the events", async () => {
    const token = await tokenFor("tampered");
    await turn(token, "do you have running shoes in size 39?", "t1");
    const seq = await talkUntilSnapshotDue(token, "t");
    expect(await runDurableObjectAlarm(actorOf("tampered"))).toBe(true);
    await runInDurableObject(actorOf("tampered"), (_: ConversationActor, state) => {
      state.storage.sql.exec("UPDATE snapshots SET body = replace(body, '\"value\":39', '\"value\":44')");
    });
    await evictDurableObject(actorOf("tampered"));
    expect(await view(token)).toMatchObject({ seq, slots: { size: 39 } });
  });

  it("snapshots every 200 events without waiting for the alarm", async () => {
    const token = await tokenFor("chatty");
    let seq = 0;
    for (let i = 0; seq < 210; i++) seq = (await turn(token, "hello", `c${i}`)).seq;
    const snapshotSeqs = await runInDurableObject(actorOf("chatty"), (_: ConversationActor, state) =>
      state.storage.sql
        .exec<{ seq: number }>("SELECT seq FROM snapshots")
        .toArray()
        .map((row) => row.seq),
    );
    expect(snapshotSeqs.some((s) => s >= 200)).toBe(true);
  });

  it("erases everything on DELETE /v1/conversation", async () => {
    const token = await tokenFor("forgetful");
    await turn(token, "do you have running shoes in size 39?", "f1");
    await talkUntilSnapshotDue(token, "f");
    expect(await runDurableObjectAlarm(actorOf("forgetful"))).toBe(true);
    const response = await call("/v1/conversation", { method: "DELETE", token });
    expect(response.status).toBe(204);
    expect(await view(token)).toMatchObject({ seq: 0, slots: {} });
    expect(await exported(token)).toEqual([]);
    expect((await turn(token, "hello", "f1")).duplicate).toBe(false);
  });

  it("exports every event as NDJSON in seq order", async () => {
    const token = await tokenFor("exporter");
    await turn(token, "hello", "x1");
    const log = await exported(token);
    expect(log[0]).toMatchObject({ seq: 1, type: "message.user", data: { text: "hello", clientMessageId: "x1" } });
    expect(log.at(-1)).toMatchObject({ type: "message.bot" });
  });

  it("pages history with after/limit and a next cursor", async () => {
    const token = await tokenFor("pager");
    for (const id of ["a", "b", "c"]) await turn(token, "hello", id);
    const page1 = (await (await call("/v1/conversation/messages?limit=4", { token })).json()) as { messages: { seq: number }[]; next: number | null };
    expect(page1.messages).toHaveLength(4);
    const page2 = (await (await call(`/v1/conversation/messages?after=${page1.next}&limit=4`, { token })).json()) as {
      messages: { seq: number }[];
      next: number | null;
    };
    expect(page2.messages).toHaveLength(2);
    expect(page2.next).toBeNull();
    expect(page2.messages[0]!.seq).toBeGreaterThan(page1.messages[3]!.seq);
  });
});

describe("isolation between users", () => {
  it("never lets alice's token reach bob's conversation, whatever the request says", async () => {
    const alice = await tokenFor("alice");
    const bob = await tokenFor("bob");
    await turn(bob, "do you have running shoes in size 39?", "b1");
    const attempts = [
      call("/v1/conversation?userId=bob", { token: alice, headers: { "x-user-id": "bob" } }),
      call("/v1/conversation/bob", { token: alice }),
      say(alice, "hello", "b1"),
    ];
    const [viewAttempt, pathAttempt, dedupeAttempt] = await Promise.all(attempts);
    expect(((await viewAttempt!.json()) as { userId: string }).userId).toBe("alice");
    expect(pathAttempt!.status).toBe(404);
    expect(((await dedupeAttempt!.json()) as Turn).duplicate).toBe(false);
    const bodyAttempt = await call("/v1/messages", { method: "POST", token: alice, json: { text: "hi", userId: "bob" } });
    expect(bodyAttempt.status).toBe(400);
    const bobs = await exported(bob);
    expect(bobs.filter((e) => e.type === "message.user")).toHaveLength(1);
    expect((await view(bob)).slots).toMatchObject({ size: 39 });
  });

  it("serves the user it is named by, after eviction and in its alarm, with no user id in the call", async () => {
    const token = await tokenFor("dana");
    const seq = await talkUntilSnapshotDue(token, "dana");
    await evictDurableObject(actorOf("dana"));
    // The alarm runs with no caller at all: the snapshot it seals is the named user's.
    expect(await runDurableObjectAlarm(actorOf("dana"))).toBe(true);
    await evictDurableObject(actorOf("dana"));
    expect(await actorOf("dana").view()).toMatchObject({ userId: "dana", seq });
    expect((await view(token)).userId).toBe("dana");
  });

  it("refuses to serve when addressed by a bare id that names no started conversation", async () => {
    const nameless = env.CONVERSATION.get(env.CONVERSATION.newUniqueId());
    const refusal = await nameless.view().then(
      () => null,
      (error: unknown) => error,
    );
    expect(String(refusal)).toMatch(/no conversation here/);
  });

  it("reached by its object id alone (as a handoff queue reaches it), a started conversation is its user's", async () => {
    const token = await tokenFor("reached-by-id");
    expect((await say(token, "hello", "by-id-1")).status).toBe(200);
    const id = env.CONVERSATION.idFromName("reached-by-id").toString();
    const view = await env.CONVERSATION.get(env.CONVERSATION.idFromString(id)).view();
    expect(view.userId).toBe("reached-by-id");
  });
});
