import type { StoredEvent } from "../../../src/conversation/events.js";
import type { ConversationState } from "../../../src/conversation/state.js";
import { initialConversationState } from "../../../src/conversation/state.js";
import type { ActionOutcome } from "../../../src/conversation/turn.js";
import { runTurn } from "../../../src/conversation/turn.js";
import type { ActionRequest, CompiledBot, SlotScalar } from "../../../src/dialog/index.js";
import { activeFlow } from "../../../src/dialog/index.js";
import { offlineAction } from "../offline-actions.js";
import type { Conversation, ConversationTurn, Language, Split, TurnKind } from "./schema.js";

/** Where every conversation starts: a fixed clock keeps draws and replies reproducible. */
const START = Date.UTC(2026, 2, 1, 9, 0, 0);

/** The bot's small-talk flows: a `smalltalk` expectation accepts them as well as the engine's own small talk. */
const SMALL_TALK_FLOWS = new Set(["greet", "thanks", "goodbye"]);

/** What one turn did, as a shopper (and a test) can tell. */
export interface TurnObservation {
  handled: string;
  reply: string;
  slots: Record<string, SlotScalar>;
  flow: string | null;
}

export interface TurnVerdict {
  conversation: string;
  split: Split;
  lang: Language;
  index: number;
  kind: TurnKind;
  user: string;
  ok: boolean;
  /** the expectations that failed, each as "what: expected … got …" */
  problems: string[];
  got: TurnObservation;
}

/**
 * Runs one conversation through the pure turn path (`runTurn`, built-in actions) and judges
 * every turn against its expectations. A failed turn does not stop the conversation: the
 * next turns are judged on the state the engine really reached.
 */
export async function evaluateConversation(conversation: Conversation, split: Split, bot: CompiledBot): Promise<TurnVerdict[]> {
  let state = initialConversationState();
  let at = START;
  const verdicts: TurnVerdict[] = [];
  for (const [index, turn] of conversation.turns.entries()) {
    at += (turn.after ?? 10) * 1000;
    const outcome = await runTurn(state, { text: turn.user, at }, bot, performBuiltin);
    state = outcome.state;
    const got = observe(outcome.events, outcome.reply.text, state);
    const problems = judgeTurn(turn, got);
    verdicts.push({
      conversation: conversation.id,
      split,
      lang: conversation.lang,
      index,
      kind: turn.kind,
      user: turn.user,
      ok: problems.length === 0,
      problems,
      got,
    });
  }
  return verdicts;
}

async function performBuiltin(action: ActionRequest): Promise<ActionOutcome> {
  return offlineAction(action);
}

function observe(events: StoredEvent[], reply: string, state: ConversationState): TurnObservation {
  const slots: Record<string, SlotScalar> = {};
  for (const [name, slot] of Object.entries(state.dialog.slots)) slots[name] = slot.value;
  return { handled: handledBy(events.map((stored) => stored.event)), reply, slots, flow: activeFlow(state.dialog) };
}

type LooseEvent = { type: string } & Record<string, unknown>;

/**
 * Which part of the bot answered, read from the turn's events: the fallback; a knowledge or
 * small-talk answer (any `knowledge.*` / `smalltalk.*` event, or an NLU intent so named);
 * else the flow the turn started, or the flow it moved on.
 */
export function handledBy(events: readonly { type: string }[]): string {
  const loose = events as readonly LooseEvent[];
  if (loose.some((e) => e.type === "fallback.triggered")) return "fallback";
  const knowledge = loose.find((e) => e.type.startsWith("knowledge."));
  if (knowledge) return `knowledge:${String(knowledge.entry ?? knowledge.id ?? "")}`;
  if (loose.some((e) => e.type.startsWith("smalltalk."))) return "smalltalk";
  const intent = loose.find((e) => e.type === "nlu.parsed")?.intent;
  if (typeof intent === "string" && (intent.startsWith("knowledge:") || intent.startsWith("smalltalk")))
    return intent.startsWith("smalltalk") ? "smalltalk" : intent;
  const started = loose.find((e) => e.type === "flow.started");
  if (typeof started?.flow === "string") return started.flow;
  const moved = loose.find((e) => typeof e.flow === "string");
  return typeof moved?.flow === "string" ? moved.flow : "none";
}

/** Every expectation of the turn that the observation breaks; empty when the turn is right. */
export function judgeTurn(turn: ConversationTurn, got: TurnObservation): string[] {
  const problems: string[] = [];
  if (!handledMatches(turn.handled, got.handled)) problems.push(`handled: expected ${turn.handled}, got ${got.handled}`);
  for (const [name, value] of Object.entries(turn.slots ?? {})) {
    const actual = got.slots[name] ?? null;
    if (actual !== value) problems.push(`slot ${name}: expected ${JSON.stringify(value)}, got ${JSON.stringify(actual)}`);
  }
  if (turn.flow !== undefined && turn.flow !== got.flow) problems.push(`flow: expected ${turn.flow}, got ${got.flow}`);
  problems.push(...replyProblems(turn, got.reply));
  return problems;
}

/** The reply checks alone (the Worker sample uses them on the HTTP answer). */
export function replyProblems(turn: Pick<ConversationTurn, "says" | "reply" | "replyNot">, reply: string): string[] {
  const problems: string[] = [];
  const lower = reply.toLowerCase();
  for (const part of turn.says ?? []) if (!lower.includes(part.toLowerCase())) problems.push(`reply: expected to contain ${JSON.stringify(part)}`);
  if (turn.reply !== undefined && !new RegExp(turn.reply, "iu").test(reply)) problems.push(`reply: expected to match /${turn.reply}/`);
  if (turn.replyNot !== undefined && new RegExp(turn.replyNot, "iu").test(reply)) problems.push(`reply: expected not to match /${turn.replyNot}/`);
  return problems;
}

function handledMatches(expected: string, got: string): boolean {
  return expected === got || (expected === "smalltalk" && SMALL_TALK_FLOWS.has(got));
}
