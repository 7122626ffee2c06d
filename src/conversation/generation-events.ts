import type { Reply } from "../dialog/index.js";

/** What the engine's scripted answer was for: a knowledge answer, or the fallback. */
export type GenerationKind = "knowledge" | "fallback";

/**
 * A reply is being generated: the user's message and the dialog's events are committed; the
 * bot's message follows when generation ends. Until then the conversation holds a pending
 * reply, and an actor that loads with one finishes it with `scripted` (nothing stays unanswered).
 */
export type GenerationEvent = {
  type: "reply.generating";
  v: 1;
  kind: GenerationKind;
  /** the whole reply the engine scripted: what goes out if generation does not */
  scripted: Reply;
  /** the part of `scripted.text` a generated text replaces */
  replaces: string;
  /** seq of the user's message this replies to */
  replyTo: number;
  clientMessageId?: string;
  botVersion: string;
  provider: string;
  model: string;
};

/** How a bot message came about, when an LLM was asked to write it. */
export interface GenerationRecord {
  outcome: "generated" | "scripted";
  provider: string;
  model: string;
  /** why the scripted answer went out: a provider failure, a failed output check, a budget, a restart */
  reason?: string;
  ttftMs?: number;
  durationMs?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** The reply a conversation still owes, from its `reply.generating` event. */
export interface PendingReply {
  replyTo: number;
  clientMessageId?: string;
  scripted: Reply;
  replaces: string;
  botVersion: string;
  provider: string;
  model: string;
}

export function pendingReplyOf(event: GenerationEvent): PendingReply {
  const { replyTo, clientMessageId, scripted, replaces, botVersion, provider, model } = event;
  return { replyTo, scripted, replaces, botVersion, provider, model, ...(clientMessageId === undefined ? {} : { clientMessageId }) };
}
