import { describe, expect, it } from "vitest";
import type { GuestHandover } from "../../../src/conversation/merge.js";
import { planMerge } from "../../../src/conversation/merge.js";
import { initialConversationState } from "../../../src/conversation/state.js";

const handover: GuestHandover = {
  messages: [
    { seq: 1, at: 10, role: "user", text: "size 39 please" },
    { seq: 2, at: 11, role: "bot", text: "In stock.", botVersion: "1" },
  ],
  slots: {
    size: { value: 39, at: 10, session: 1 },
    phone: { value: "13812345678", at: 10, session: 1, sensitive: true },
  },
};

describe("planMerge", () => {
  it("appends identity.merged, the guest's messages and slots after the user's log", () => {
    const user = { ...initialConversationState(), seq: 5 };
    const { events, state } = planMerge(user, "guest_1", handover, 100);
    expect(events.map((e) => e.seq)).toEqual([6, 7, 8, 9, 10]);
    expect(events[0]).toMatchObject({ at: 100, event: { type: "identity.merged", from: "guest_1", events: 4 } });
    expect(events[1]).toMatchObject({ at: 10, event: { type: "message.user", text: "size 39 please" } });
    expect(events.slice(3).map((e) => e.event)).toEqual([
      expect.objectContaining({ type: "slot.set", name: "size", value: 39 }),
      expect.objectContaining({ type: "slot.set", name: "phone", sensitive: true }),
    ]);
    expect(state.dialog.slots["size"]?.value).toBe(39);
    expect(state.messages).toBe(2);
    expect(state.seq).toBe(10);
  });

  it("keeps the user's own slot values", () => {
    const base = initialConversationState();
    const user = { ...base, dialog: { ...base.dialog, slots: { size: { value: 42, at: 1, session: 1 } } } };
    const { state, events } = planMerge(user, "guest_1", handover, 100);
    expect(state.dialog.slots["size"]?.value).toBe(42);
    expect(events.filter((e) => e.event.type === "slot.set")).toHaveLength(1);
  });
});
