import type { Understanding } from "../nlu/nlu.js";
import type { FlowFrame, SlotScalar } from "../types.js";
import { answerAside, asideFor } from "./aside.js";
import { correctInFlow, followUp } from "./followup.js";
import { requestGeneration } from "./generate.js";
import { advance, finishFlow, handOff, offerChoices, runFlows, saysStartAnswer } from "./run.js";
import { answerFor, fillFlowSlots, setSlot } from "./slots.js";
import type { StepDraft } from "./step-draft.js";

/** A free-text answer (an address) is only taken for a digression when the intent is this clear. */
const FREE_TEXT_DIGRESSION_CONFIDENCE = 0.7;

/** The engine's answer to a user's message, after session bookkeeping. */
export function respondToText(draft: StepDraft, text: string): void {
  draft.message = text;
  const nlu = draft.bot.nlu.understand(text);
  const intent = nlu.best && nlu.best.confidence >= draft.bot.threshold ? nlu.best.intent : null;
  recordParse(draft, nlu, intent);
  abandonPendingCall(draft);
  respondToParsed(draft, nlu, intent, text);
}

/** What the rules make of a message already parsed and recorded: a follow-up, an aside, an answer, a new flow, or the fallback. */
export function respondToParsed(draft: StepDraft, nlu: Understanding, intent: string | null, text: string): void {
  if (followUp(draft, nlu, intent, text)) return;
  const aside = asideFor(draft, nlu, text, intent);
  if (aside) return answerAside(draft, aside);
  const frame = draft.top();
  if (frame?.waiting?.kind === "ask") return answerAsk(draft, frame, frame.waiting.slot, nlu, intent, text);
  if (intent !== null) return startFlow(draft, intent, nlu, text);
  fallback(draft);
}

/** Records what the NLU made of the message (sensitive entities redacted). */
export function recordParse(draft: StepDraft, nlu: Understanding, intent: string | null): void {
  const entities: Record<string, SlotScalar> = {};
  // Sensitive values live only in (encrypted) `slot.set` events; the parse record keeps that they were there.
  for (const [name, value] of Object.entries(nlu.entities)) entities[name] = draft.bot.sensitive.entities.has(name) ? "[redacted]" : value;
  draft.emit({
    type: "nlu.parsed",
    v: 1,
    at: draft.at,
    intent,
    confidence: nlu.best?.confidence ?? 0,
    alternatives: nlu.alternatives.map(({ intent: name, confidence }) => ({ intent: name, confidence })),
    entities,
    lang: nlu.lang,
  });
}

/** A result that never came (the actor gave up on the chain): the flow cannot go on. */
export function abandonPendingCall(draft: StepDraft): void {
  const frame = draft.top();
  if (frame?.waiting?.kind !== "call") return;
  const { callId, action } = frame.waiting;
  draft.emit({ type: "action.failed", v: 1, at: draft.at, callId, action, error: "abandoned: no result before the next message" });
  draft.emit({ type: "flow.ended", v: 1, at: draft.at, flow: frame.flow, reason: "abandoned" });
}

/**
 * The flow waits for `slot`. An answer wins (so "yes" to a confirmation is never taken
 * for another intent); otherwise a clear new intent is a digression; otherwise reprompt.
 */
function answerAsk(draft: StepDraft, frame: FlowFrame, slot: string, nlu: Understanding, intent: string | null, text: string): void {
  if (correctInFlow(draft, frame, slot, nlu, text)) return;
  const target = intent === null ? undefined : draft.bot.intentFlow[intent];
  const slotDef = draft.bot.definition.slots[slot];
  const freeText = slotDef?.entity === undefined || slotDef.freeText;
  const digression =
    intent !== null && target !== undefined && target !== frame.flow && (!freeText || (nlu.best?.confidence ?? 0) >= FREE_TEXT_DIGRESSION_CONFIDENCE);
  const answer = answerFor(draft.bot, draft.state, frame.flow, slot, nlu, text) ?? startAnswerAgain(draft, frame, target, text);
  if (answer && !(freeText && digression)) {
    setSlot(draft, slot, answer.value, answer.source);
    fillFlowSlots(draft, frame.flow, nlu, text, slot);
    advance(draft, frame, frame.step + 1);
    return runFlows(draft);
  }
  if (digression && intent !== null) return startFlow(draft, intent, nlu, text);
  const before = draft.events.length;
  fillFlowSlots(draft, frame.flow, nlu, text, slot);
  if (draft.events.length > before) return runFlows(draft);
  reprompt(draft, frame, slot);
}

/** Asked its `startAnswer` question, a message that would start the same flow ("I want to enter the lottery") is that answer. */
function startAnswerAgain(draft: StepDraft, frame: FlowFrame, target: string | undefined, text: string): { value: SlotScalar; source: "user" } | null {
  const step = draft.bot.definition.flows[frame.flow]?.steps[frame.step];
  if (target !== frame.flow || step?.type !== "ask" || !step.startAnswer || !saysStartAnswer(step.startAnswer.phrases, text)) return null;
  return { value: step.startAnswer.value, source: "user" };
}

/** Pushes the intent's flow; the current one (if any) is interrupted and resumes after it. */
export function startFlow(draft: StepDraft, intent: string, nlu: Understanding, text: string): void {
  if (draft.bot.intentFlow[intent] === undefined) return fallback(draft);
  openFlow(draft, intent, nlu, text);
  runFlows(draft);
}

/** Pushes the intent's flow with the message's values for it, without running it yet. */
export function openFlow(draft: StepDraft, intent: string, nlu: Understanding, text: string): void {
  const flow = draft.bot.intentFlow[intent];
  if (flow === undefined) return;
  // The same flow further down the stack is superseded, not resumed twice.
  const stale = draft.state.flows.find((frame) => frame.flow === flow);
  if (stale) draft.emit({ type: "flow.ended", v: 1, at: draft.at, flow, reason: "abandoned" });
  const current = draft.top();
  if (current) draft.emit({ type: "flow.interrupted", v: 1, at: draft.at, flow: current.flow, by: flow });
  draft.emit({ type: "flow.started", v: 1, at: draft.at, flow, botVersion: draft.bot.version, intent });
  draft.started = { flow, text };
  fillFlowSlots(draft, flow, nlu, text);
}

function reprompt(draft: StepDraft, frame: FlowFrame, slot: string): void {
  const flowStep = draft.bot.definition.flows[frame.flow]?.steps[frame.step];
  const step = flowStep?.type === "ask" ? flowStep : undefined;
  const slotDef = draft.bot.definition.slots[slot];
  const reprompts = step?.reprompts ?? slotDef?.reprompts ?? [];
  const max = step?.maxReprompts ?? Math.max(1, reprompts.length);
  if (frame.attempts >= max) return exhausted(draft, frame, step?.onFailure ?? "fallback");
  const attempt = frame.attempts + 1;
  draft.emit({ type: "ask.reprompted", v: 1, at: draft.at, flow: frame.flow, slot, attempt });
  const text = reprompts[attempt - 1] ?? reprompts.at(-1) ?? step?.prompt ?? slotDef?.prompt;
  if (text) draft.say(text);
  offerChoices(draft, slot);
}

function exhausted(draft: StepDraft, frame: FlowFrame, onFailure: "fallback" | "handoff"): void {
  draft.emit({ type: "fallback.triggered", v: 1, at: draft.at, flow: frame.flow, reason: "reprompts_exhausted" });
  if (onFailure === "handoff") {
    draft.say(draft.bot.definition.messages.handoff ?? DEFAULT_HANDOFF);
    return handOff(draft, "reprompts_exhausted");
  }
  requestGeneration(draft, "fallback", draft.say(draft.bot.definition.fallback.text, draft.bot.definition.fallback.quickReplies));
  finishFlow(draft, frame.flow, "failed");
  runFlows(draft);
}

/** The scripted "I didn't get that", which the bot's model may reword (`llm.generate.fallback`). */
export function fallback(draft: StepDraft): void {
  draft.emit({ type: "fallback.triggered", v: 1, at: draft.at, flow: draft.top()?.flow ?? null, reason: "low_confidence" });
  requestGeneration(draft, "fallback", draft.say(draft.bot.definition.fallback.text, draft.bot.definition.fallback.quickReplies));
}

const DEFAULT_HANDOFF = { en: "Let me get a colleague to help you with this.", zh: "我请人工客服来帮您处理。" };
