import type { ConversationState } from "../../src/conversation/state.js";
import type { RecentTurn } from "../../src/dialog/index.js";
import type { HistoryMessage } from "../../src/protocol/conversation.js";

/**
 * Stored messages (masked at rest) as a model's recent turns, the last `limit` before seq
 * `before`: system lines are not the conversation's words.
 */
export function recentTurnsOf(messages: readonly HistoryMessage[], before = Number.POSITIVE_INFINITY, limit = messages.length): RecentTurn[] {
  return messages
    .filter((message) => message.seq < before && message.role !== "system")
    .slice(-limit)
    .map((message) => ({ role: message.role as RecentTurn["role"], text: message.text }));
}

/** The values of the conversation's sensitive slots, in clear (as the actor holds them): a reply must not echo one. */
export function sensitiveValuesOf(state: ConversationState): string[] {
  return Object.values(state.dialog.slots).flatMap((slot) => (slot.sensitive ? [String(slot.value)] : []));
}
