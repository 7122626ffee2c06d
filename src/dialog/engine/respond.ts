import type { Understanding } from "../nlu/nlu.js";
import type { FlowFrame, SlotScalar } from "../types.js";
import { advance, finishFlow, handOff, offerChoices, runFlows } from "./run.js";
import { answerFor, fillFlowSlots, setSlot } from "./slots.js";
import type { Turn } from "./turn.js";

/** A free-text answer (an address) is only taken for a digression when the intent is this clear. */
const FREE_TEXT_DIGRESSION_CONFIDENCE = 0.7;

/** The engine's answer to a user's message, after session bookkeeping. */
export function respondToText(turn: Turn, text: string): void {
  const nlu = turn.bot.nlu.understand(text);
  const intent = nlu.best && nlu.best.confidence >= turn.bot.threshold ? nlu.best.intent : null;
  recordParse(turn, nlu, intent);
  abandonPendingCall(turn);
  const frame = turn.top();
  if (frame?.waiting?.kind === "ask") return answerAsk(turn, frame, frame.waiting.slot, nlu, intent, text);
  if (intent !== null) return startFlow(turn, intent, nlu);
  fallback(turn);
}

function recordParse(turn: Turn, nlu: Understanding, intent: string | null): void {
  const entities: Record<string, SlotScalar> = {};
  // Sensitive values live only in (encrypted) `slot.set` events; the parse record keeps that they were there.
  for (const [name, value] of Object.entries(nlu.entities)) entities[name] = turn.bot.sensitive.entities.has(name) ? "[redacted]" : value;
  turn.emit({
    type: "nlu.parsed",
    v: 1,
    at: turn.at,
    intent,
    confidence: nlu.best?.confidence ?? 0,
    alternatives: nlu.alternatives.map(({ intent: name, confidence }) => ({ intent: name, confidence })),
    entities,
    lang: nlu.lang,
  });
}

/** A result that never came (the actor gave up on the chain): the flow cannot go on. */
function abandonPendingCall(turn: Turn): void {
  const frame = turn.top();
  if (frame?.waiting?.kind !== "call") return;
  const { callId, action } = frame.waiting;
  turn.emit({ type: "action.failed", v: 1, at: turn.at, callId, action, error: "abandoned: no result before the next message" });
  turn.emit({ type: "flow.ended", v: 1, at: turn.at, flow: frame.flow, reason: "abandoned" });
}

/**
 * The flow waits for `slot`. An answer wins (so "yes" to a confirmation is never taken
 * for another intent); otherwise a clear new intent is a digression; otherwise reprompt.
 */
function answerAsk(turn: Turn, frame: FlowFrame, slot: string, nlu: Understanding, intent: string | null, text: string): void {
  const target = intent === null ? undefined : turn.bot.intentFlow[intent];
  const freeText = turn.bot.definition.slots[slot]?.entity === undefined;
  const digression =
    intent !== null && target !== undefined && target !== frame.flow && (!freeText || (nlu.best?.confidence ?? 0) >= FREE_TEXT_DIGRESSION_CONFIDENCE);
  const answer = answerFor(turn.bot, turn.state, slot, nlu, text);
  if (answer && !(freeText && digression)) {
    setSlot(turn, slot, answer.value, answer.source);
    if (!freeText) fillFlowSlots(turn, frame.flow, nlu, slot);
    advance(turn, frame, frame.step + 1);
    return runFlows(turn);
  }
  if (digression && intent !== null) return startFlow(turn, intent, nlu);
  const before = turn.events.length;
  fillFlowSlots(turn, frame.flow, nlu, slot);
  if (turn.events.length > before) return runFlows(turn);
  reprompt(turn, frame, slot);
}

/** Pushes the intent's flow; the current one (if any) is interrupted and resumes after it. */
export function startFlow(turn: Turn, intent: string, nlu: Understanding): void {
  const flow = turn.bot.intentFlow[intent];
  if (flow === undefined) return fallback(turn);
  // The same flow further down the stack is superseded, not resumed twice.
  const stale = turn.state.flows.find((frame) => frame.flow === flow);
  if (stale) turn.emit({ type: "flow.ended", v: 1, at: turn.at, flow, reason: "abandoned" });
  const current = turn.top();
  if (current) turn.emit({ type: "flow.interrupted", v: 1, at: turn.at, flow: current.flow, by: flow });
  turn.emit({ type: "flow.started", v: 1, at: turn.at, flow, botVersion: turn.bot.version, intent });
  fillFlowSlots(turn, flow, nlu);
  runFlows(turn);
}

function reprompt(turn: Turn, frame: FlowFrame, slot: string): void {
  const flowStep = turn.bot.definition.flows[frame.flow]?.steps[frame.step];
  const step = flowStep?.type === "ask" ? flowStep : undefined;
  const slotDef = turn.bot.definition.slots[slot];
  const reprompts = step?.reprompts ?? slotDef?.reprompts ?? [];
  const max = step?.maxReprompts ?? Math.max(1, reprompts.length);
  if (frame.attempts >= max) return exhausted(turn, frame, step?.onFailure ?? "fallback");
  const attempt = frame.attempts + 1;
  turn.emit({ type: "ask.reprompted", v: 1, at: turn.at, flow: frame.flow, slot, attempt });
  const text = reprompts[attempt - 1] ?? reprompts.at(-1) ?? step?.prompt ?? slotDef?.prompt;
  if (text) turn.say(text);
  offerChoices(turn, slot);
}

function exhausted(turn: Turn, frame: FlowFrame, onFailure: "fallback" | "handoff"): void {
  turn.emit({ type: "fallback.triggered", v: 1, at: turn.at, flow: frame.flow, reason: "reprompts_exhausted" });
  if (onFailure === "handoff") {
    turn.say(turn.bot.definition.messages.handoff ?? DEFAULT_HANDOFF);
    return handOff(turn, "reprompts_exhausted");
  }
  turn.say(turn.bot.definition.fallback.text, turn.bot.definition.fallback.quickReplies);
  finishFlow(turn, frame.flow, "failed");
  runFlows(turn);
}

function fallback(turn: Turn): void {
  turn.emit({ type: "fallback.triggered", v: 1, at: turn.at, flow: turn.top()?.flow ?? null, reason: "low_confidence" });
  turn.say(turn.bot.definition.fallback.text, turn.bot.definition.fallback.quickReplies);
}

const DEFAULT_HANDOFF = { en: "Let me get a colleague to help you with this.", zh: "我请人工客服来帮您处理。" };
