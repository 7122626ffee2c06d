import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ConversationActor } from "../../../durable-objects/conversation/conversation-actor.js";
import { isRefusal } from "../../../src/protocol/errors.js";
import { DEV_SLOT_KEYS } from "../../../src/security/dev-secrets.js";
import { call, say, talkUntilSnapshotDue, tokenFor } from "../helpers.js";

const PHONE = "13812345678";
const ADDRESS = "88 Century Avenue, Pudong, Shanghai";
const actorOf = (userId: string) => env.CONVERSATION.getByName(userId);

/** Every row the actor stores, as one string: what an attacker with the SQLite file would read. */
function rawStorage(userId: string): Promise<string> {
  return runInDurableObject(actorOf(userId), (_: ConversationActor, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
      .toArray()
      .map((row) => row.name);
    expect(tables).toEqual(expect.arrayContaining(["events", "meta"]));
    return tables.map((table) => JSON.stringify(state.storage.sql.exec(`SELECT * FROM ${table}`).toArray())).join("\n");
  });
}

async function changeAddress(userId: string): Promise<string> {
  const token = await tokenFor(userId);
  await say(token, "I want to change my delivery address", "a1");
  await say(token, `it's ${PHONE}`, "a2");
  await say(token, ADDRESS, "a3");
  return token;
}

/** The address change, then enough talk that the snapshot alarm is due. */
async function changeAddressThenTalk(userId: string): Promise<string> {
  const token = await changeAddress(userId);
  await talkUntilSnapshotDue(token, userId);
  return token;
}

/** A keyring with a second key, as an operator sets it when rotating. */
function withKeys(keys: Record<string, string>, active: string) {
  return { ...env, SLOT_KEYS: JSON.stringify(keys), SLOT_KEY_ACTIVE: active };
}
const devKeys = JSON.parse(DEV_SLOT_KEYS) as Record<string, string>;
const k2 = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

describe("sensitive slots at rest", () => {
  it("never stores the phone number or the address in clear, and masks them in answers", async () => {
    const token = await changeAddressThenTalk("sealed-user");
    expect(await runDurableObjectAlarm(actorOf("sealed-user"))).toBe(true);
    const raw = await rawStorage("sealed-user");
    expect(raw).toContain("enc:v1:dev:");
    expect(raw).not.toContain(PHONE);
    expect(raw).not.toContain("Century");

    const view = (await (await call("/v1/conversation", { token })).json()) as { slots: Record<string, string> };
    expect(view.slots["phone"]).toBe("***5678");
    expect(JSON.stringify(view)).not.toContain(PHONE);
    const history = await (await call("/v1/conversation/messages", { token })).text();
    expect(history).toContain("it's ***5678");
    expect(history).not.toContain(PHONE);
  });

  it("gives the user their own data back in the export", async () => {
    const token = await changeAddress("exporting-user");
    const ndjson = await (await call("/v1/conversation/export", { token })).text();
    expect(ndjson).toContain(`it's ${PHONE}`);
    expect(ndjson).toContain(ADDRESS);
    expect(ndjson).not.toContain("enc:v1:");
  });

  it("opens sealed values after the actor is evicted, from events and from a snapshot", async () => {
    const token = await changeAddressThenTalk("reloaded-user");
    await evictDurableObject(actorOf("reloaded-user"));
    expect(((await (await call("/v1/conversation", { token })).json()) as { slots: Record<string, string> }).slots["phone"]).toBe("***5678");
    expect(await runDurableObjectAlarm(actorOf("reloaded-user"))).toBe(true);
    await evictDurableObject(actorOf("reloaded-user"));
    const ndjson = await (await call("/v1/conversation/export", { token })).text();
    expect(ndjson).toContain(PHONE);
  });

  it("rotates keys without downtime: old ciphertexts open, new ones use the new key, the alarm re-seals, then the old key can go", async () => {
    const token = await changeAddressThenTalk("rotating-user");
    expect(await runDurableObjectAlarm(actorOf("rotating-user"))).toBe(true);
    const rotated = withKeys({ ...devKeys, k2 }, "k2");
    const afterRotation = await runInDurableObject(actorOf("rotating-user"), async (instance: ConversationActor) => {
      Reflect.set(instance, "env", rotated);
      const before = await instance.exportEvents("rotating-user");
      const answer = await instance.turn({ userId: "rotating-user", text: "thanks", clientMessageId: "a4" });
      if (isRefusal(answer)) throw new Error(answer.refused.message);
      return { before, seq: answer.seq };
    });
    expect(afterRotation.before).toContain(PHONE);
    expect(await rawStorage("rotating-user")).toContain("enc:v1:dev:");

    // A deployed rotation restarts the actors, whose load schedules the re-seal; this actor kept
    // running with its configuration swapped in place, so its conversation goes on until the
    // next snapshot is due.
    await talkUntilSnapshotDue(token, "rotated", afterRotation.seq);
    expect(await runDurableObjectAlarm(actorOf("rotating-user"))).toBe(true);
    const raw = await rawStorage("rotating-user");
    expect(raw).toContain("enc:v1:k2:");
    expect(raw).not.toContain("enc:v1:dev:");
    expect(raw).not.toContain(PHONE);

    const retired = withKeys({ k2 }, "k2");
    const exported = await runInDurableObject(actorOf("rotating-user"), async (instance: ConversationActor) => {
      Reflect.set(instance, "env", retired);
      return instance.exportEvents("rotating-user");
    });
    expect(exported).toContain(PHONE);
    expect(exported).toContain(ADDRESS);
  });
});
