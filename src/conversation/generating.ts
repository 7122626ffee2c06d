import type { Reply } from "../dialog/index.js";
import { replaceScripted } from "../dialog/index.js";
import type { Outcome } from "./append.js";
import { appendEvents } from "./append.js";
import type { StoredEvent } from "./events.js";
import type { GenerationKind, GenerationRecord, PendingReply } from "./generation-events.js";
import type { ConversationState } from "./state.js";
import { foldEvents } from "./state.js";

/** What the engine scripted and a model may write instead. */
export interface GenerationPlan {
  kind: GenerationKind;
  /** the part of the turn's reply a generated text replaces */
  replaces: string;
  provider: string;
  model: string;
}

/**
 * A turn whose reply is to be generated, cut before the bot's message: the user's message and
 * the dialog's events, then `reply.generating` holding the scripted reply. Committed before the
 * model is asked, so a restart mid-generation still owes — and gives — an answer.
 *
 * @example beginGeneration(before, turn, plan, "v3").events.at(-1)?.event.type // → "reply.generating"
 */
export function beginGeneration(
  before: ConversationState,
  turn: Outcome,
  plan: GenerationPlan,
  botVersion: string,
): { events: StoredEvent[]; state: ConversationState } {
  const last = turn.events.at(-1);
  if (last?.event.type !== "message.bot") throw new Error("a turn to generate ends with the bot's message");
  const head = turn.events.slice(0, -1);
  const user = head.find((stored) => stored.event.type === "message.user");
  const clientMessageId = user?.event.type === "message.user" ? user.event.clientMessageId : undefined;
  const state = foldEvents(before, head);
  const pending = appendEvents(state, last.at, [
    {
      type: "reply.generating",
      v: 1,
      kind: plan.kind,
      scripted: turn.reply,
      replaces: plan.replaces,
      replyTo: user?.seq ?? state.seq,
      botVersion,
      provider: plan.provider,
      model: plan.model,
      ...(clientMessageId === undefined ? {} : { clientMessageId }),
    },
  ]);
  return { events: [...head, ...pending.events], state: pending.state };
}

/**
 * The bot's message that settles a pending reply: the generated text in place of the scripted
 * part (the rest of the reply — a question asked again, quick replies — as scripted), or the
 * scripted reply as it was when `generated` is null.
 *
 * @example finishGeneration(state, Date.now(), null, { outcome: "scripted", reason: "restart", … }).reply // → the scripted reply
 */
export function finishGeneration(state: ConversationState, at: number, generated: string | null, record: GenerationRecord): Outcome {
  const pending = state.pendingReply;
  if (!pending) throw new Error("no reply is pending");
  const reply = replyWith(pending, generated);
  const done = appendEvents(state, at, [
    {
      type: "message.bot",
      v: 1,
      text: reply.text,
      botVersion: pending.botVersion,
      generation: record,
      ...(reply.quickReplies ? { quickReplies: reply.quickReplies } : {}),
    },
  ]);
  return { ...done, reply, seq: done.state.seq };
}

/** The scripted reply, its `replaces` part swapped for the generated text (all of it, if that part is not found). */
export function replyWith(pending: PendingReply, generated: string | null): Reply {
  const { scripted, replaces } = pending;
  if (generated === null) return scripted;
  return replaces.length > 0 && scripted.text.includes(replaces)
    ? replaceScripted(scripted, { scripted: replaces }, generated)
    : { ...scripted, text: generated };
}
