import { describe, expect, it } from "vitest";
import { OUTBOX_MAX, Outbox } from "../../../widget/core/outbox.js";
import type { KeyValueStore } from "../../../widget/core/storage.js";
import { memoryStore, resilientStore } from "../../../widget/core/storage.js";

const entry = (id: string, text = `text ${id}`) => ({ clientMessageId: id, text, createdAt: 1 });

describe("Outbox", () => {
  it("keeps entries in order, survives a new instance (a reload) and removes by id", () => {
    const store = memoryStore();
    const outbox = new Outbox(store, "k");
    outbox.add(entry("a"));
    outbox.add(entry("b"));
    const reloaded = new Outbox(store, "k");
    expect(reloaded.list().map((e) => e.clientMessageId)).toEqual(["a", "b"]);
    expect(reloaded.remove("a")).toBe(true);
    expect(reloaded.remove("a")).toBe(false);
    expect(outbox.list().map((e) => e.clientMessageId)).toEqual(["b"]);
    expect(outbox.has("b")).toBe(true);
  });

  it("adding an id twice keeps one entry", () => {
    const outbox = new Outbox(memoryStore(), "k");
    outbox.add(entry("a", "first"));
    outbox.add(entry("a", "again"));
    expect(outbox.list()).toEqual([entry("a", "again")]);
  });

  it("two tabs (two instances on one store) do not overwrite each other's entries", () => {
    const store = memoryStore();
    const tabA = new Outbox(store, "k");
    const tabB = new Outbox(store, "k");
    tabA.add(entry("a"));
    tabB.add(entry("b"));
    tabA.remove("a");
    expect(tabB.list().map((e) => e.clientMessageId)).toEqual(["b"]);
  });

  it("clears its storage key when empty", () => {
    const store = memoryStore();
    const outbox = new Outbox(store, "k");
    outbox.add(entry("a"));
    outbox.remove("a");
    expect(store.getItem("k")).toBeNull();
  });

  it("ignores corrupt storage and malformed entries", () => {
    const store = memoryStore();
    store.setItem("k", "{not json");
    expect(new Outbox(store, "k").list()).toEqual([]);
    store.setItem("k", JSON.stringify([entry("ok"), { clientMessageId: 3 }, null, "x"]));
    expect(new Outbox(store, "k").list()).toEqual([entry("ok")]);
  });

  it(`keeps the newest ${OUTBOX_MAX}`, () => {
    const outbox = new Outbox(memoryStore(), "k");
    for (let i = 0; i < OUTBOX_MAX + 5; i++) outbox.add(entry(`m${i}`));
    const ids = outbox.list().map((e) => e.clientMessageId);
    expect(ids).toHaveLength(OUTBOX_MAX);
    expect(ids[0]).toBe("m5");
  });

  it("keeps working in memory when storage throws (private mode, full quota)", () => {
    const throwing: KeyValueStore = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => undefined,
    };
    const outbox = new Outbox(
      resilientStore(() => throwing),
      "k",
    );
    outbox.add(entry("a"));
    expect(outbox.list()).toEqual([entry("a")]);
    const unavailable = new Outbox(
      resilientStore(() => {
        throw new Error("localStorage is not available");
      }),
      "k",
    );
    unavailable.add(entry("b"));
    expect(unavailable.has("b")).toBe(true);
  });
});
