import type { GuestHandover } from "../../src/conversation/merge.js";
import type { ConversationState } from "../../src/conversation/state.js";
import type { ConversationStore } from "./store.js";

/** meta key remembering that a guest was merged, and how many events it brought: a link happens once. */
export const linkedKey = (guestId: string) => `linked:${guestId}`;

/** The guest side of an identity link: messages as history shows them, slots from memory. */
export function handoverOf(store: ConversationStore, state: ConversationState): GuestHandover {
  const messages: GuestHandover["messages"] = [];
  for (const { at, event } of store.messageEvents()) {
    if (event.type === "message.user") messages.push({ at, role: "user", text: event.text });
    else if (event.type === "message.bot") {
      messages.push({ at, role: "bot", text: event.text, botVersion: event.botVersion, ...(event.quickReplies ? { quickReplies: event.quickReplies } : {}) });
    }
  }
  return { messages, slots: state.dialog.slots };
}
