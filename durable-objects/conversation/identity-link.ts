import type { GuestHandover } from "../../src/conversation/merge.js";
import { messageViewOf } from "../../src/conversation/message-view.js";
import type { ConversationState } from "../../src/conversation/state.js";
import type { ConversationStore } from "./store.js";

/** meta key remembering that a guest was merged, and how many events it brought: a link happens once. */
export const linkedKey = (guestId: string) => `linked:${guestId}`;

/** The guest side of an identity link: messages as history shows them, slots from memory. */
export function handoverOf(store: ConversationStore, state: ConversationState): GuestHandover {
  const messages: GuestHandover["messages"] = [];
  for (const stored of store.messageEvents()) {
    const message = messageViewOf(stored);
    if (message) messages.push(message);
  }
  return { messages, slots: state.dialog.slots };
}
