import type { Reply } from "../dialog/index.js";
import type { ConversationEvent, StoredEvent } from "./events.js";
import type { ConversationState } from "./state.js";
import { applyEvent } from "./state.js";

/** Events with their seqs after `state`'s, at `at`, and the state folded over them. */
export function appendEvents(state: ConversationState, at: number, events: readonly ConversationEvent[]): { events: StoredEvent[]; state: ConversationState } {
  const stored: StoredEvent[] = [];
  let next = state;
  for (const event of events) {
    const item: StoredEvent = { seq: next.seq + 1, at, event };
    stored.push(item);
    next = applyEvent(next, item);
  }
  return { events: stored, state: next };
}

/** A turn's outcome as the actor commits it: its events, the state after them, the reply and its seq. */
export interface Outcome {
  events: StoredEvent[];
  state: ConversationState;
  reply: Reply;
  seq: number;
}

/** The outcome with more events after it; the bot's text among them joins the reply (the seq is the last event's). */
export function extendOutcome(outcome: Outcome, at: number, events: readonly ConversationEvent[]): Outcome {
  const more = appendEvents(outcome.state, at, events);
  const said = events.flatMap((event) => (event.type === "message.bot" ? [event.text] : []));
  // The last word's quick replies: a newer bot message without any drops the older ones.
  const quickReplies = lastQuickReplies(events) ?? (said.length > 0 ? undefined : outcome.reply.quickReplies);
  const text = [outcome.reply.text, ...said].filter((part) => part.length > 0).join("\n");
  return { events: [...outcome.events, ...more.events], state: more.state, reply: { text, ...(quickReplies ? { quickReplies } : {}) }, seq: more.state.seq };
}

function lastQuickReplies(events: readonly ConversationEvent[]): string[] | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === "message.bot" && event.quickReplies) return event.quickReplies;
  }
  return undefined;
}
