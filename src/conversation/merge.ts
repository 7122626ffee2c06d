import type { SlotValue } from "../dialog/index.js";
import type { HistoryMessage } from "../protocol/conversation.js";
import type { ConversationEvent, MessageEvent, StoredEvent } from "./events.js";
import type { ConversationState } from "./state.js";
import { foldEvents } from "./state.js";

/** A guest's message as history shows it (sensitive spans already masked): its seq is the guest's, not kept. */
export type HandoverMessage = HistoryMessage;

/** What a guest's conversation hands over when the guest logs in. */
export interface GuestHandover {
  messages: HandoverMessage[];
  /** the guest's slots, sensitive ones in clear (they are sealed again on the user's side) */
  slots: Record<string, SlotValue>;
}

/**
 * The events that join a guest's conversation to the user's: `identity.merged`, the guest's
 * messages in their order, and the guest's slots the user does not have yet (the user's
 * own values win). Pure: the actor appends them and folds them like a turn's.
 */
export function planMerge(state: ConversationState, guestId: string, handover: GuestHandover, at: number): { events: StoredEvent[]; state: ConversationState } {
  const carried: ConversationEvent[] = handover.messages.map(toMessageEvent);
  for (const [name, slot] of Object.entries(handover.slots)) {
    if (state.dialog.slots[name]) continue;
    carried.push({ type: "slot.set", v: 1, at, name, value: slot.value, source: "set", ...(slot.sensitive ? { sensitive: true } : {}) });
  }
  const all: ConversationEvent[] = [{ type: "identity.merged", v: 1, from: guestId, events: carried.length }, ...carried];
  const times = [at, ...handover.messages.map((message) => message.at), ...carried.slice(handover.messages.length).map(() => at)];
  const events = all.map((event, i) => ({ seq: state.seq + 1 + i, at: times[i] ?? at, event }));
  return { events, state: foldEvents(state, events) };
}

function toMessageEvent(message: HandoverMessage): MessageEvent {
  if (message.role === "user") return { type: "message.user", v: 1, text: message.text };
  return {
    type: "message.bot",
    v: 1,
    text: message.text,
    botVersion: message.botVersion ?? "",
    ...(message.quickReplies ? { quickReplies: message.quickReplies } : {}),
  };
}
