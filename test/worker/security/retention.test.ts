import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConversationActor } from "../../../durable-objects/conversation/conversation-actor.js";
import { call, say, tokenFor } from "../helpers.js";

const actorOf = (userId: string) => env.CONVERSATION.getByName(userId);
const DAY = 86_400_000;

describe("RETENTION_DAYS", () => {
  it("prunes old events once a snapshot covers them; the conversation's state survives", async () => {
    const token = await tokenFor("retained-user");
    const { seq: oldSeq } = (await (await say(token, "do you have running shoes in size 39?", "r1")).json()) as { seq: number };
    await runDurableObjectAlarm(actorOf("retained-user"));
    await runInDurableObject(actorOf("retained-user"), (instance: ConversationActor, state) => {
      state.storage.sql.exec("UPDATE events SET at = at - ?", 40 * DAY);
      Reflect.set(instance, "env", { ...env, RETENTION_DAYS: "30" });
    });
    const second = (await (await say(token, "hello", "r2")).json()) as { seq: number };
    await runDurableObjectAlarm(actorOf("retained-user"));

    const left = await runInDurableObject(actorOf("retained-user"), (_: ConversationActor, state) =>
      state.storage.sql
        .exec<{ seq: number }>("SELECT seq FROM events ORDER BY seq")
        .toArray()
        .map((row) => row.seq),
    );
    expect(left[0]).toBeGreaterThan(oldSeq);
    const history = (await (await call("/v1/conversation/messages", { token })).json()) as { messages: { text: string }[] };
    expect(history.messages.map((m) => m.text)).not.toContain("do you have running shoes in size 39?");

    await evictDurableObject(actorOf("retained-user"));
    const view = (await (await call("/v1/conversation", { token })).json()) as { slots: Record<string, unknown> };
    expect(view.slots).toMatchObject({ product: "running", size: 39 });
    // The pruned turn's dedupe record went with its events; the kept turn's stayed.
    expect(await (await say(token, "hello", "r2")).json()).toMatchObject({ seq: second.seq, duplicate: true });
    expect(await (await say(token, "hello", "r1")).json()).toMatchObject({ duplicate: false });
  });

  it("keeps everything when no retention is configured", async () => {
    const token = await tokenFor("kept-user");
    await say(token, "hello", "k1");
    await runInDurableObject(actorOf("kept-user"), (_: ConversationActor, state) => state.storage.sql.exec("UPDATE events SET at = at - ?", 400 * DAY));
    await say(token, "hello", "k2");
    await runDurableObjectAlarm(actorOf("kept-user"));
    const history = (await (await call("/v1/conversation/messages", { token })).json()) as { messages: unknown[] };
    expect(history.messages).toHaveLength(4);
  });
});
