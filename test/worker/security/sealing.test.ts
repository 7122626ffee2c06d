import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { ConversationActor } from "../../../durable-objects/conversation/conversation-actor.js";
import { isRefusal } from "../../../src/protocol/errors.js";
import { DEV_SLOT_KEYS } from "../../../src/security/dev-secrets.js";
import { call, say, talkUntilSnapshotDue, tokenFor } from "../helpers.js";
import { liveSocket } from "../ws-client.js";

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
      const before = await instance.exportEvents();
      const answer = await instance.turn({ text: "thanks", clientMessageId: "a4" });
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
      return instance.exportEvents();
    });
    expect(exported).toContain(PHONE);
    expect(exported).toContain(ADDRESS);
  });
});

/**
 * Issue 18's cases: values no flow asked for, a phone written with spaces, and a one-shot
 * message holding both a phone number and an address.
 */
const UNASKED = [
  {
    user: "sealed-unasked",
    says: ["my phone is 13987650123 and please call me"],
    masked: ["my phone is ***0123 and please call me"],
    secrets: ["13987650123", "1398765"],
  },
  {
    user: "sealed-spaced",
    says: ["I want to change my delivery address", "139 8765 0123"],
    masked: ["I want to change my delivery address", "***0123"],
    secrets: ["139 8765", "13987650123", "1398765"],
  },
  {
    user: "sealed-one-shot",
    says: ["我要改地址，手机号13987650123，把地址改成北京市朝阳区建国路88号"],
    masked: ["我要改地址，手机号***0123，把地址改成***路88号"],
    secrets: ["13987650123", "1398765", "北京市", "朝阳区", "建国"],
  },
];

/** The events table as stored, one JSON string per row. */
function storedEvents(userId: string): Promise<string[]> {
  return runInDurableObject(actorOf(userId), (_: ConversationActor, state) =>
    state.storage.sql
      .exec<{ type: string; data: string }>("SELECT type, data FROM events ORDER BY seq")
      .toArray()
      .map((row) => `${row.type} ${row.data}`),
  );
}

/** Every console line written while `run` runs (the Worker's logs and the actor's). */
async function consoleDuring(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  for (const method of ["debug", "info", "log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  }
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return lines.join("\n");
}

describe("sensitive values wherever they appear in a message", () => {
  it.each(UNASKED)("$user: storage, history, socket frames and logs show them masked; the export has them", async ({ user, says, masked, secrets }) => {
    const token = await tokenFor(user);
    const socket = await liveSocket(token);
    const logs = await consoleDuring(async () => {
      for (const [i, text] of says.entries()) {
        socket.send({ type: "say", text, clientMessageId: `${user}-${i}` });
        await socket.untilMessages(2 * (i + 1));
      }
    });
    socket.close();

    const events = await storedEvents(user);
    expect(events.filter((row) => row.startsWith("message.user")).length).toBe(says.length);
    for (const secret of secrets) {
      expect(events.filter((row) => row.includes(secret))).toEqual([]);
      expect(await rawStorage(user)).not.toContain(secret);
      expect(JSON.stringify(socket.frames)).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }

    const history = (await (await call("/v1/conversation/messages", { token })).json()) as { messages: { role: string; text: string }[] };
    const userTexts = history.messages.filter((message) => message.role === "user").map((message) => message.text);
    expect(userTexts).toEqual(masked);
    expect(
      socket
        .messages()
        .filter((frame) => frame.role === "user")
        .map((frame) => frame.text),
    ).toEqual(masked);

    // Bytes, then UTF-8: workerd warns on .text() of an NDJSON body.
    const exported = new TextDecoder()
      .decode(await (await call("/v1/conversation/export", { token })).arrayBuffer())
      .trim()
      .split("\n");
    const exportedTexts = exported.map((line) => JSON.parse(line) as { type: string; data: { text?: string } });
    expect(exportedTexts.filter((line) => line.type === "message.user").map((line) => line.data.text)).toEqual(says);
  });

  it("redacts the recognised values in the parse record too, and seals the phone it filled", async () => {
    const token = await tokenFor("sealed-parse");
    expect((await say(token, "我要改地址，手机号13987650123，把地址改成北京市朝阳区建国路88号", "p1")).status).toBe(200);
    const parsed = (await storedEvents("sealed-parse")).find((row) => row.startsWith("nlu.parsed"));
    expect(parsed).toContain('"phone":"[redacted]"');
    expect(parsed).toContain('"address":"[redacted]"');
    const view = (await (await call("/v1/conversation", { token })).json()) as { slots: Record<string, string>; activeFlow: string | null };
    expect(view).toMatchObject({ slots: { phone: "***0123" }, activeFlow: "change_address" });
  });
});
