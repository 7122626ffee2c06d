import type { DialogEvent } from "../dialog/index.js";
import type { GenerationEvent, GenerationRecord } from "./generation-events.js";
import type { HandoffEvent } from "./handoff-events.js";

/** The conversation's own events; the dialog engine contributes {@link DialogEvent}s. */
export type MessageEvent =
  | {
      type: "message.user";
      v: 1;
      text: string;
      clientMessageId?: string;
      /** [start, end) of sensitive values in `text`; in memory only, before sealing */
      sensitiveSpans?: [number, number][];
      /** as stored: `text` masked at the spans, the original sealed here */
      sealedText?: string;
    }
  | {
      type: "message.bot";
      v: 1;
      text: string;
      quickReplies?: string[];
      botVersion: string;
      /** set when an LLM was asked to write (part of) it: the model, and whether its text went out */
      generation?: GenerationRecord;
    };

export type IdentityEvent = { type: "identity.merged"; v: 1; from: string; events: number };

/** A cash prize's payout ended (told by the payout saga): paid, or failed and compensated. */
export type PayoutEvent = {
  type: "payout.paid" | "payout.failed";
  v: 1;
  drawId: string;
  prizeId: string;
  /** minor units of `currency` */
  amount: number;
  currency: string;
  reason?: string;
};

/** Every event stored in a conversation's log: a versioned discriminated union on `type`. */
export type ConversationEvent = MessageEvent | IdentityEvent | PayoutEvent | HandoffEvent | GenerationEvent | DialogEvent;

/** An event as it stands in the log: its place (`seq`) and time (`at`, epoch ms). */
export interface StoredEvent<E extends ConversationEvent = ConversationEvent> {
  seq: number;
  at: number;
  event: E;
}
