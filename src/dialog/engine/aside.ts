import type { AsideMatch } from "../knowledge/knowledge.js";
import { findChineseNumerals } from "../nlu/chinese-numerals.js";
import type { Understanding } from "../nlu/nlu.js";
import { requestGeneration } from "./generate.js";
import { offerChoices } from "./run.js";
import type { StepDraft } from "./step-draft.js";

/** The score a match needs when the message holds a number, which is usually a value. */
const CLEAR_MATCH = 0.85;
/** A small-talk score this high: an example says the whole message, so a value inside it is not an answer. */
const WHOLE_MESSAGE = 0.95;

export type Aside = { kind: "knowledge" | "smalltalk"; match: AsideMatch };

/**
 * A knowledge answer or small talk, when it explains the message better than any intent:
 * its score clears the bot's threshold and beats the recognized intent's confidence ("do you
 * sell socks?" reads a little like a stock check; "are you a bot" a little like a greeting).
 * An intent whose flow is the one already open competes with nothing: restarting it would
 * only ask the same question again ("do you have a size guide?" while asked for a size).
 * A message with a value the open flow or the recognized intent's flow asks for is left to
 * the flows ("running shoes please", "thanks, and do you have size 42?") unless a small-talk
 * example says the whole message (the "是" of "你是机器人吗" is not a yes). A message with a
 * number in it ("size 60", out of range) needs a clear match too. Entries are matched on the
 * text with its typos corrected ("do you take retuns").
 */
export function asideFor(draft: StepDraft, nlu: Understanding, text: string, intent: string | null): Aside | null {
  const { knowledge } = draft.bot;
  if (knowledge.empty) return null;
  const carriesValue = carriesTaskValue(draft, nlu, intent);
  const restartsOpenFlow = intent !== null && draft.bot.intentFlow[intent] === draft.top()?.flow;
  const confidence = intent === null || restartsOpenFlow ? 0 : (nlu.best?.confidence ?? 0);
  const clearOnly = hasNumber(text);
  const passes = (match: AsideMatch | null): match is AsideMatch =>
    match?.accepted === true && match.score > confidence && (!clearOnly || match.score >= CLEAR_MATCH);
  const { knowledge: fact, smallTalk: chat } = knowledge.match(nlu.corrections.length > 0 ? nlu.corrected : text);
  // Only small talk that explains the whole message outranks a value ("你是机器人吗" is not a yes).
  if (carriesValue) return passes(chat) && chat.score >= WHOLE_MESSAGE ? { kind: "smalltalk", match: chat } : null;
  // A question outranks chit-chat on a tie.
  if (passes(fact) && !(passes(chat) && chat.score > fact.score)) return { kind: "knowledge", match: fact };
  return passes(chat) ? { kind: "smalltalk", match: chat } : null;
}

/**
 * Answers the aside and leaves the flow stack as it was: a flow waiting for an answer
 * asks its question again (without counting a reprompt), so the user can simply go on.
 */
export function answerAside(draft: StepDraft, aside: Aside): void {
  const { entry, score } = aside.match;
  const flow = draft.top()?.flow ?? null;
  draft.emit({ type: aside.kind === "knowledge" ? "knowledge.answered" : "smalltalk.answered", v: 1, at: draft.at, entry, score, flow });
  if (aside.kind === "knowledge") {
    const found = draft.bot.knowledge.knowledgeEntry(entry);
    if (found) requestGeneration(draft, "knowledge", draft.say(found.answer, found.quickReplies));
  } else {
    const answer = draft.bot.knowledge.smallTalkAnswer(entry);
    if (answer) draft.say(answer);
  }
  reaskPending(draft);
}

function reaskPending(draft: StepDraft): void {
  const frame = draft.top();
  if (frame?.waiting?.kind !== "ask") return;
  const slot = frame.waiting.slot;
  const step = draft.bot.definition.flows[frame.flow]?.steps[frame.step];
  const prompt = (step?.type === "ask" ? step.prompt : undefined) ?? draft.bot.definition.slots[slot]?.prompt;
  if (prompt) draft.say(prompt);
  offerChoices(draft, slot);
}

function carriesTaskValue(draft: StepDraft, nlu: Understanding, intent: string | null): boolean {
  const found = Object.keys(nlu.entities);
  if (found.length === 0) return false;
  const flows = [draft.top()?.flow, intent === null ? undefined : draft.bot.intentFlow[intent]];
  return flows.some((flow) => flow !== undefined && (draft.bot.flowSlots[flow] ?? []).some((slot) => slot.entity !== undefined && found.includes(slot.entity)));
}

function hasNumber(text: string): boolean {
  return /\d/.test(text.normalize("NFKC")) || findChineseNumerals(text).length > 0;
}
