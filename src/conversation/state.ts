import type { DialogEvent, DialogState } from "../dialog/index.js";
import { applyDialogEvent, initialDialogState } from "../dialog/index.js";
import type { ConversationEvent, StoredEvent } from "./events.js";
import type { PendingReply } from "./generation-events.js";
import { pendingReplyOf } from "./generation-events.js";
import type { HandoffState } from "./handoff-events.js";
import { foldHandoff } from "./handoff-events.js";

/** What an actor keeps in memory: a fold over its events. Bounded: no message history. */
export interface ConversationState {
  /** seq of the last event applied (0 for an empty conversation) */
  seq: number;
  /** seq of the last message, user's or bot's */
  lastMessageSeq: number;
  messages: number;
  /** version of the bot that answered last */
  botVersion: string | null;
  updatedAt: number;
  dialog: DialogState;
  /** waiting for or held by a human agent; null: the bot answers */
  handoff: HandoffState | null;
  /** the queue whose agent's hand-back asked for a 1–5 rating, while it is awaited */
  ratingFor: string | null;
  /** a reply being generated (or cut off by a restart): owed until the bot's message; absent in older snapshots */
  pendingReply?: PendingReply | null;
}

export function initialConversationState(): ConversationState {
  return { seq: 0, lastMessageSeq: 0, messages: 0, botVersion: null, updatedAt: 0, dialog: initialDialogState(), handoff: null, ratingFor: null };
}

/** The reducer: total over {@link ConversationEvent}, never mutates `state`. */
export function applyEvent(state: ConversationState, stored: StoredEvent): ConversationState {
  const base = { ...state, seq: stored.seq, updatedAt: stored.at };
  const event: ConversationEvent = stored.event;
  switch (event.type) {
    case "message.user":
      return { ...base, lastMessageSeq: stored.seq, messages: state.messages + 1 };
    case "message.bot":
      return { ...base, lastMessageSeq: stored.seq, messages: state.messages + 1, botVersion: event.botVersion, pendingReply: null };
    case "reply.generating":
      return { ...base, pendingReply: pendingReplyOf(event) };
    case "identity.merged":
    case "payout.paid":
    case "payout.failed":
      return base;
    case "message.agent":
    case "message.system":
      return { ...base, lastMessageSeq: stored.seq, messages: state.messages + 1 };
    case "handoff.queued":
    case "handoff.unavailable":
    case "handoff.wait_expired":
    case "handoff.drafting":
    case "handoff.ticket":
    case "handoff.cancelled":
    case "agent.joined":
    case "agent.left":
    case "rating.asked":
    case "rating.given":
    case "rating.skipped":
      return { ...base, ...foldHandoff({ handoff: state.handoff, ratingFor: state.ratingFor }, event, stored.at) };
    default:
      return { ...base, dialog: applyDialogEvent(state.dialog, event satisfies DialogEvent) };
  }
}

/** state = fold(events) */
export function foldEvents(state: ConversationState, events: Iterable<StoredEvent>): ConversationState {
  let next = state;
  for (const stored of events) next = applyEvent(next, stored);
  return next;
}
