import type { HistoryMessage } from "../protocol/conversation.js";
import type { StoredEvent } from "./events.js";

/**
 * A message event as every reader sees it — a history page, a socket's `message` frame, a
 * guest's handover: the one mapping from the log to what is shown. The text is the stored
 * one, sensitive spans already masked; other events are not messages (null).
 *
 * @example messageViewOf({ seq: 7, at, event: { type: "message.user", v: 1, text: "hi", clientMessageId: "m1" } })
 * // { seq: 7, at, role: "user", text: "hi", clientMessageId: "m1" }
 */
export function messageViewOf({ seq, at, event }: StoredEvent): HistoryMessage | null {
  if (event.type === "message.user") {
    return { seq, at, role: "user", text: event.text, ...(event.clientMessageId ? { clientMessageId: event.clientMessageId } : {}) };
  }
  if (event.type === "message.bot") {
    return { seq, at, role: "bot", text: event.text, botVersion: event.botVersion, ...(event.quickReplies ? { quickReplies: event.quickReplies } : {}) };
  }
  if (event.type === "message.agent") return { seq, at, role: "agent", text: event.text, author: event.author };
  if (event.type === "message.system") return { seq, at, role: "system", text: event.text, ...(event.author ? { author: event.author } : {}) };
  return null;
}
