import { describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../../src/conversation/events.js";
import { findSensitiveSpans, maskSpans, sensitiveSpans } from "../../../src/conversation/redaction.js";
import { openEvent, openState, resealEvent, sealEvent, sealState } from "../../../src/conversation/sealing.js";
import { initialConversationState } from "../../../src/conversation/state.js";
import { keyIdOf, parseKeyring } from "../../../src/security/keyring.js";

const ringA = () => parseKeyring(JSON.stringify({ a: Buffer.alloc(32, 1).toString("base64") }), "a");
const ringAB = () => parseKeyring(JSON.stringify({ a: Buffer.alloc(32, 1).toString("base64"), b: Buffer.alloc(32, 2).toString("base64") }), "b");

describe("sensitive spans", () => {
  it("finds a phone number written with spaces or dashes", () => {
    const text = "call me on 138 0013-8000 please";
    const spans = findSensitiveSpans(text, ["13800138000"]);
    expect(spans).toEqual([[11, 24]]);
    expect(maskSpans(text, spans)).toBe("call me on ***8000 please");
  });

  it("hides the whole message when a value cannot be located", () => {
    expect(findSensitiveSpans("my number is in my profile", ["13800138000"])).toEqual([[0, 26]]);
  });

  it("joins what the recognizers matched with the slot values they did not see", () => {
    const text = "Room 5, Hangzhou; call 139 8765 0123";
    const phone = { start: 23, end: 36, value: "13987650123" };
    // The free-text address was the slot's value; the phone was recognised and given too.
    expect(maskSpans(text, sensitiveSpans(text, [phone], ["Room 5, Hangzhou", "13987650123"]))).toBe("***zhou; call ***0123");
    expect(sensitiveSpans(text, [phone], ["13987650123"])).toEqual([[23, 36]]);
    expect(sensitiveSpans("hello", [], [])).toEqual([]);
  });

  it("merges overlapping spans", () => {
    const text = "address: 1 Main St, phone 13800138000";
    expect(maskSpans(text, findSensitiveSpans(text, ["1 Main St", "13800138000", "Main"]))).toBe("address: ***n St, phone ***8000");
  });
});

describe("sealing events", () => {
  const slot: ConversationEvent = { type: "slot.set", v: 1, at: 1, name: "phone", value: "13800138000", sensitive: true, source: "user" };
  const message: ConversationEvent = { type: "message.user", v: 1, text: "it is 13800138000", sensitiveSpans: [[6, 17]] };

  it("seals sensitive slot values and opens them for the reducer, keeping the type", async () => {
    const ring = await ringA();
    const sealed = await sealEvent(slot, ring, "u");
    expect(JSON.stringify(sealed)).not.toContain("13800138000");
    expect(await openEvent(sealed, ring, "u")).toEqual(slot);
    const size: ConversationEvent = { ...slot, name: "pin", value: 1234 };
    expect(await openEvent(await sealEvent(size, ring, "u"), ring, "u")).toEqual(size);
  });

  it("stores a user message masked, and restores it only for the export", async () => {
    const ring = await ringA();
    const sealed = await sealEvent(message, ring, "u");
    expect(sealed).toMatchObject({ text: "it is ***8000" });
    expect(JSON.stringify(sealed)).not.toContain("13800138000");
    expect(await openEvent(sealed, ring, "u")).toMatchObject({ text: "it is ***8000" });
    expect(await openEvent(sealed, ring, "u", true)).toEqual({ type: "message.user", v: 1, text: "it is 13800138000" });
  });

  it("leaves other events alone", async () => {
    const plain: ConversationEvent = { type: "slot.set", v: 1, at: 1, name: "size", value: 39, source: "user" };
    expect(await sealEvent(plain, await ringA(), "u")).toBe(plain);
  });

  it("re-seals under the new active key after rotation", async () => {
    const sealed = await sealEvent(slot, await ringA(), "u");
    const ring = await ringAB();
    const resealed = await resealEvent(sealed, ring, "u");
    expect(keyIdOf(String((resealed as { value: string }).value))).toBe("b");
    expect(await openEvent(resealed, await ringAB(), "u")).toEqual(slot);
    expect(await resealEvent(resealed, ring, "u")).toBe(resealed);
  });
});

describe("sealing state", () => {
  it("seals only sensitive slots and opens them back", async () => {
    const ring = await ringA();
    const base = initialConversationState();
    const state = {
      ...base,
      dialog: {
        ...base.dialog,
        slots: { phone: { value: "13800138000", at: 1, session: 1, sensitive: true }, size: { value: 39, at: 1, session: 1 } },
      },
    };
    const sealed = await sealState(state, ring, "u");
    expect(JSON.stringify(sealed)).not.toContain("13800138000");
    expect(sealed.dialog.slots["size"]?.value).toBe(39);
    expect(await openState(sealed, ring, "u")).toEqual(state);
  });
});
