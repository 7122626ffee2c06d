import type { CompiledBot } from "../compile.js";
import type { LlmCommand } from "../llm/commands.js";
import { ANSWERING } from "../llm/commands.js";
import { validateCommands } from "../llm/validate-commands.js";
import type { Understanding } from "../nlu/nlu.js";
import { detectLanguage } from "../nlu/text.js";
import type { DialogInput, SlotScalar } from "../types.js";
import { answerAside } from "./aside.js";
import { correctSlots } from "./followup.js";
import { abandonPendingCall, fallback, openFlow, recordParse, respondToParsed } from "./respond.js";
import { advance, finishFlow, handOff, runFlows } from "./run.js";
import { setSlot } from "./slots.js";
import type { StepDraft, StepResult } from "./step-draft.js";

const CANCELLED = { en: "OK, I've stopped that.", zh: "好的，已经取消了。" };
const CLARIFY = { en: "Did you mean one of these?", zh: "您是想办下面哪一项？" };
const DEFAULT_HANDOFF = { en: "Let me get a colleague to help you with this.", zh: "我请人工客服来帮您处理。" };
/**
 * The model judged the message a question (or chit-chat): retrieval's nearest entry is taken at
 * half the score the rules alone require, since two readings now agree; below it, the fallback.
 */
const AGREEMENT_SHARE = 0.5;

/**
 * Whether the caller should ask the bot's model for commands and run the step again, from the
 * same state, with a `commands` input: the bot has `llm.understand`, and the rules were unsure
 * (a low-confidence fallback, or a question asked again because the answer did not parse).
 *
 * @example if (wantsUnderstanding(result, bot)) result = step(state, { kind: "commands", text, ...validated, proposed, at }, bot);
 */
export function wantsUnderstanding(result: StepResult, bot: CompiledBot): boolean {
  if (bot.definition.llm?.understand !== true) return false;
  return result.events.some((e) => (e.type === "fallback.triggered" && e.reason === "low_confidence") || e.type === "ask.reprompted");
}

/**
 * The message with the commands a model proposed for it. The parse is recorded as for any
 * message; the commands are validated again against the state as it is now (a session may
 * have just started) and applied with the engine's own moves, so a flow decides all the rest.
 * With none left, the rules answer as they would have.
 */
export function respondToCommands(draft: StepDraft, input: Extract<DialogInput, { kind: "commands" }>): void {
  const { text } = input;
  draft.message = text;
  const nlu = draft.bot.nlu.understand(text);
  const intent = nlu.best && nlu.best.confidence >= draft.bot.threshold ? nlu.best.intent : null;
  recordParse(draft, nlu, intent);
  abandonPendingCall(draft);
  const { accepted, dropped } = validateCommands(input.commands, draft.bot, draft.state);
  const reasons = [...input.dropped, ...dropped].map((d) => d.reason);
  draft.emit({ type: "llm.commands", v: 1, at: draft.at, proposed: input.proposed, accepted, dropped: reasons.length, reasons: [...new Set(reasons)] });
  if (accepted.length === 0) return respondToParsed(draft, nlu, intent, text);
  const answer = accepted.find((c) => ANSWERING.has(c.command));
  if (answer) return answerCommand(draft, answer, text);
  applyFlowCommands(draft, accepted, nlu, text);
}

function applyFlowCommands(draft: StepDraft, commands: readonly LlmCommand[], nlu: Understanding, text: string): void {
  const asking = draft.top();
  const waiting = asking?.waiting?.kind === "ask" ? asking.waiting.slot : undefined;
  const corrections: [string, SlotScalar][] = [];
  for (const command of commands) {
    switch (command.command) {
      case "cancel_flow": {
        const top = draft.top();
        draft.say(CANCELLED);
        if (top) finishFlow(draft, top.flow, "abandoned");
        break;
      }
      case "start_flow":
        openFlow(draft, intentOf(draft.bot, command.flow), nlu, text);
        break;
      case "set_slot":
        setSlot(draft, command.slot, command.value, "user");
        break;
      case "correct_slot":
        corrections.push([command.slot, command.value]);
        break;
      case "human_handoff":
        draft.say(draft.bot.definition.messages.handoff ?? DEFAULT_HANDOFF);
        return handOff(draft, "requested");
      default:
        break;
    }
  }
  const top = draft.top();
  const mine = (slot: string): boolean => top !== undefined && (draft.bot.flowSlots[top.flow] ?? []).some((s) => s.slot === slot);
  for (const [slot, value] of corrections.filter(([slot]) => !mine(slot))) setSlot(draft, slot, value, "user");
  const own = corrections.filter(([slot]) => mine(slot));
  if (top && own.length > 0) correctSlots(draft, top, own);
  else if (top && top.flow === asking?.flow && top.step === asking.step && commands.some((c) => c.command === "set_slot" && c.slot === waiting)) {
    // The answer to the pending question: the flow moves past it (a confirmation would otherwise ask again).
    advance(draft, top, top.step + 1);
  }
  runFlows(draft);
}

function answerCommand(draft: StepDraft, command: LlmCommand, text: string): void {
  const { knowledge, definition } = draft.bot;
  if (command.command === "knowledge_answer") {
    const match = knowledge.topKnowledge(text, 1)[0];
    if (match && match.score >= definition.knowledge.threshold * AGREEMENT_SHARE) return answerAside(draft, { kind: "knowledge", match });
  } else if (command.command === "chitchat") {
    const match = knowledge.match(text).smallTalk;
    if (match && match.score >= definition.smallTalk.threshold * AGREEMENT_SHARE) return answerAside(draft, { kind: "smalltalk", match });
  } else if (command.command === "clarify") {
    draft.say(CLARIFY);
    return draft.offer(command.flows.map((flow) => choiceFor(draft, flow)));
  }
  fallback(draft);
}

/** The intent that starts `flow` (the first one, as written). */
function intentOf(bot: CompiledBot, flow: string): string {
  return Object.keys(bot.intentFlow).find((intent) => bot.intentFlow[intent] === flow) ?? flow;
}

/** A quick reply that starts `flow` when tapped: the first example of its intent in the user's language. */
function choiceFor(draft: StepDraft, flow: string): string {
  const examples = draft.bot.definition.intents[intentOf(draft.bot, flow)]?.examples ?? [];
  return examples.find((example) => detectLanguage(example) === draft.lang) ?? examples[0] ?? flow;
}
