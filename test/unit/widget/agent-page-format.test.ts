import { describe, expect, it } from "vitest";
import { clientMessageIdSchema } from "../../../src/protocol/messages.js";
import { secretBytes, signToken } from "../../../src/security/jwt.js";

type Role = "user" | "bot" | "agent" | "system";
type QueueRef = { bot: string; queue: string };
type OutboxItem = QueueRef & { kind: "reply" | "note"; id: string; entryId: string; text: string; at: number };
type KeyValue = { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };

/** The /agent page's pure modules, as the browser loads them (public/agent/*.js, checked with // @ts-check). */
interface Format {
  formatWait(seconds: number): string;
  waitedNow(waitedSeconds: number, receivedAt: number, now: number): number;
  slotsText(slots: Record<string, string | number>): string;
  cannedText(text: string | { en?: string; zh?: string }, language: string): string;
  speakerName(message: { role: Role; author?: { id: string; name: string } }, selfId?: string): string;
  newMessageId(): string;
  tokenClaims(token: string): { sub?: string; name?: string; scope?: string };
}
interface SessionStore {
  token: string | null;
  queues: QueueRef[];
  presence: "online" | "away";
  selected: string | null;
  readonly outbox: OutboxItem[];
  draft(entryId: string, box: "reply" | "note"): string;
  setDraft(entryId: string, box: "reply" | "note", text: string): void;
  addToOutbox(item: OutboxItem): void;
  forget(entryId: string): OutboxItem[];
}

const load = (path: string): Promise<unknown> => import(new URL(`../../../public/agent/${path}`, import.meta.url).href);
const { cannedText, formatWait, newMessageId, slotsText, speakerName, tokenClaims, waitedNow } = (await load("format.js")) as Format;
const { reconnectDelay } = (await load("queue-socket.js")) as { reconnectDelay(attempt: number, random: number): number };
const { DEFAULT_QUEUES, SessionStore } = (await load("session-store.js")) as {
  DEFAULT_QUEUES: QueueRef[];
  SessionStore: new (storage: KeyValue) => SessionStore;
};

/** Session storage as a Map; `broken` refuses every call, as a browser's private mode may. */
function storage(broken = false) {
  const map = new Map<string, string>();
  const check = () => {
    if (broken) throw new Error("SecurityError");
  };
  return {
    map,
    getItem: (key: string) => {
      check();
      return map.get(key) ?? null;
    },
    setItem: (key: string, value: string) => {
      check();
      map.set(key, value);
    },
    removeItem: (key: string) => {
      check();
      map.delete(key);
    },
  };
}

const item = (id: string, entryId: string, kind: "reply" | "note" = "reply"): OutboxItem => ({
  kind,
  id,
  bot: "shop",
  queue: "general",
  entryId,
  text: `t-${id}`,
  at: 1,
});

describe("the /agent page's formatting", () => {
  it("writes wait times short, and keeps them ticking from the server's figure", () => {
    expect([0, 59, 125, 3780].map(formatWait)).toEqual(["0 s", "59 s", "2 min 05 s", "1 h 03 min"]);
    expect(waitedNow(75, 10_000, 12_999)).toBe(77);
    expect(waitedNow(75, 10_000, 9_000)).toBe(75);
  });

  it("shows slots as they come (masked), and says when there are none", () => {
    expect(slotsText({ order_id: "A1001", phone: "***5678" })).toBe("order_id: A1001 · phone: ***5678");
    expect(slotsText({})).toBe("none");
  });

  it("picks a canned reply in the conversation's language, else the other one", () => {
    expect(cannedText({ en: "Hello", zh: "您好" }, "zh")).toBe("您好");
    expect(cannedText({ en: "Hello" }, "zh")).toBe("Hello");
    expect(cannedText("Same for all", "en")).toBe("Same for all");
  });

  it("names who wrote each message, the agent's own replies as 'You'", () => {
    const anna = { id: "anna", name: "Anna" };
    expect(speakerName({ role: "agent", author: anna }, "anna")).toBe("You");
    expect(speakerName({ role: "agent", author: anna }, "bob")).toBe("Anna (agent)");
    expect(speakerName({ role: "user" })).toBe("Customer");
    expect(speakerName({ role: "system", author: anna })).toBe("");
  });

  it("makes reply ids the API takes, a new one each time", () => {
    const ids = Array.from({ length: 50 }, () => newMessageId());
    for (const id of ids) expect(clientMessageIdSchema.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(50);
  });

  it("reads the agent's id and display name from the token (to greet them; the server verifies it)", async () => {
    const { token } = await signToken({ userId: "li", scopes: ["agent"], name: "李娜", ttlSeconds: 60, secret: secretBytes("x".repeat(32)) });
    expect(tokenClaims(token)).toMatchObject({ sub: "li", name: "李娜", scope: "agent" });
    expect(tokenClaims("not a token")).toEqual({});
  });

  it("reconnects after a doubling, jittered, capped delay", () => {
    expect(reconnectDelay(0, 0)).toBe(500);
    expect(reconnectDelay(0, 0.999)).toBeLessThanOrEqual(1000);
    expect(reconnectDelay(3, 0.5)).toBe(6000);
    expect(reconnectDelay(40, 0.999)).toBeLessThanOrEqual(30_000);
  });
});

describe("what the /agent page keeps in session storage", () => {
  it("watches shop/general until told otherwise, and remembers the queues it is given", () => {
    const store = new SessionStore(storage());
    expect(store.queues).toEqual(DEFAULT_QUEUES);
    store.queues = [...store.queues, { bot: "shop", queue: "orders" }];
    expect(store.queues.map((ref) => ref.queue)).toEqual(["general", "orders"]);
  });

  it("keeps unsent items in order under their first id, and forgets a conversation's drafts and items together", () => {
    const store = new SessionStore(storage());
    store.addToOutbox(item("a", "e1"));
    store.addToOutbox(item("b", "e2"));
    store.addToOutbox(item("c", "e1", "note"));
    store.addToOutbox(item("a", "e1"));
    expect(store.outbox.map((known) => known.id)).toEqual(["b", "c", "a"]);
    store.setDraft("e1", "reply", "half a sentence");
    store.selected = "e1";
    expect(store.forget("e1").map((known) => known.id)).toEqual(["c", "a"]);
    expect(store.outbox.map((known) => known.id)).toEqual(["b"]);
    expect(store.draft("e1", "reply")).toBe("");
    expect(store.selected).toBeNull();
  });

  it("survives another page's reload: a new store on the same storage sees everything", () => {
    const shared = storage();
    const before = new SessionStore(shared);
    before.setDraft("e9", "note", "call back at 5");
    before.addToOutbox(item("z", "e9"));
    before.presence = "away";
    const after = new SessionStore(shared);
    expect([after.draft("e9", "note"), after.outbox[0]?.id, after.presence]).toEqual(["call back at 5", "z", "away"]);
  });

  it("ignores what it cannot read, and keeps working when storage refuses", () => {
    const bad = storage();
    bad.map.set("parley:agent:outbox", "{not json");
    bad.map.set("parley:agent:queues", JSON.stringify([{ bot: 1 }, { bot: "shop", queue: "vip" }]));
    expect(new SessionStore(bad).outbox).toEqual([]);
    expect(new SessionStore(bad).queues).toEqual([{ bot: "shop", queue: "vip" }]);
    const refused = new SessionStore(storage(true));
    refused.addToOutbox(item("a", "e1"));
    expect([refused.token, refused.outbox, refused.presence]).toEqual([null, [], "online"]);
  });
});
