import type { LlmCommand } from "./llm/commands.js";
import type { Json, SlotScalar } from "./types.js";

/**
 * Everything the dialog engine records. Each event carries what the reducer needs
 * (including `at`), so state = fold(events) without the bot definition at hand.
 * Sensitive values appear only in `slot.set` (flagged, for the actor to encrypt);
 * `nlu.parsed` masks them and `action.requested` carries no arguments at all.
 */
export type DialogEvent =
  | SessionStarted
  | NluParsed
  | SlotSet
  | SlotCleared
  | FlowStarted
  | FlowAdvanced
  | FlowInterrupted
  | FlowResumed
  | FlowEnded
  | AskPrompted
  | AskReprompted
  | ActionRequested
  | ActionCompleted
  | ActionFailed
  | HandoffRequested
  | FallbackTriggered
  | KnowledgeAnswered
  | SmallTalkAnswered
  | FollowUpArmed
  | FollowUpTaken
  | SlotCorrected
  | AskPreanswered
  | LlmCommands;

export type DialogEventType = DialogEvent["type"];

/** `kept`: slots whose carry-over outlives the silence; all others, and the flow stack, reset. */
export interface SessionStarted {
  type: "session.started";
  v: 1;
  session: number;
  at: number;
  kept: string[];
}

export interface NluParsed {
  type: "nlu.parsed";
  v: 1;
  at: number;
  intent: string | null;
  confidence: number;
  alternatives: { intent: string; confidence: number }[];
  entities: Record<string, SlotScalar>;
  lang: "en" | "zh" | null;
}

export type SlotSource = "user" | "reference" | "action" | "set";
export interface SlotSet {
  type: "slot.set";
  v: 1;
  at: number;
  name: string;
  value: SlotScalar;
  sensitive?: boolean;
  source: SlotSource;
}
export interface SlotCleared {
  type: "slot.cleared";
  v: 1;
  at: number;
  name: string;
}

export interface FlowStarted {
  type: "flow.started";
  v: 1;
  at: number;
  flow: string;
  botVersion: string;
  intent: string | null;
}
/** `step`: the index the flow moves to */
export interface FlowAdvanced {
  type: "flow.advanced";
  v: 1;
  at: number;
  flow: string;
  step: number;
}
export interface FlowInterrupted {
  type: "flow.interrupted";
  v: 1;
  at: number;
  flow: string;
  by: string;
}
export interface FlowResumed {
  type: "flow.resumed";
  v: 1;
  at: number;
  flow: string;
}
export type FlowEndReason = "completed" | "failed" | "handoff" | "error" | "abandoned";
export interface FlowEnded {
  type: "flow.ended";
  v: 1;
  at: number;
  flow: string;
  reason: FlowEndReason;
}

export interface AskPrompted {
  type: "ask.prompted";
  v: 1;
  at: number;
  flow: string;
  slot: string;
}
export interface AskReprompted {
  type: "ask.reprompted";
  v: 1;
  at: number;
  flow: string;
  slot: string;
  attempt: number;
}

export interface ActionRequested {
  type: "action.requested";
  v: 1;
  at: number;
  flow: string;
  callId: string;
  action: string;
  kind: "builtin" | "webhook";
}
export interface ActionCompleted {
  type: "action.completed";
  v: 1;
  at: number;
  callId: string;
  action: string;
  result: Json;
}
export interface ActionFailed {
  type: "action.failed";
  v: 1;
  at: number;
  callId: string;
  action: string;
  error: string;
}

export interface HandoffRequested {
  type: "handoff.requested";
  v: 1;
  at: number;
  flow: string | null;
  reason: string;
  /** the agents' queue (absent in events older than human handoff: the bot's first queue) */
  queue?: string;
}
export type FallbackReason = "low_confidence" | "reprompts_exhausted";
export interface FallbackTriggered {
  type: "fallback.triggered";
  v: 1;
  at: number;
  flow: string | null;
  reason: FallbackReason;
}

/** A flow with `followUp` completed: for its window, a message with a new value for one of its slots runs it again. */
export interface FollowUpArmed {
  type: "followup.armed";
  v: 1;
  at: number;
  flow: string;
}
/** A message was taken as a follow-up of `flow` (the `flow.started` after it reruns it); `slots`: the values it gave. */
export interface FollowUpTaken {
  type: "followup.taken";
  v: 1;
  at: number;
  flow: string;
  slots: string[];
}
/**
 * "no, 42": the slot's last value is replaced (the `slot.set` beside it carries the new one) and
 * `flow` runs again from `step`, the question that asked for it; `step` is null when the finished task reruns.
 */
export interface SlotCorrected {
  type: "slot.corrected";
  v: 1;
  at: number;
  flow: string;
  name: string;
  step: number | null;
}
/** The message that started the flow already answered this question (its `startAnswer`). */
export interface AskPreanswered {
  type: "ask.preanswered";
  v: 1;
  at: number;
  flow: string;
  slot: string;
}

/** An answer from the bot's knowledge base (`score` 0–1); `flow` is the flow that stays open, if any. */
export interface KnowledgeAnswered {
  type: "knowledge.answered";
  v: 1;
  at: number;
  entry: string;
  score: number;
  flow: string | null;
}
/** Small talk answered in the bot's voice; like a knowledge answer, it leaves the flow stack alone. */
export interface SmallTalkAnswered {
  type: "smalltalk.answered";
  v: 1;
  at: number;
  entry: string;
  score: number;
  flow: string | null;
}

/**
 * A language model proposed commands for the message: those the engine applies (no sensitive
 * value is ever among them: such slots and values are refused), and how many it dropped and why.
 */
export interface LlmCommands {
  type: "llm.commands";
  v: 1;
  at: number;
  proposed: number;
  accepted: LlmCommand[];
  dropped: number;
  reasons: string[];
}
