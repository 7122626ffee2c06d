import type { FlowEndReason } from "../events.js";
import { findPhrase, normalizeText } from "../nlu/text.js";
import type { FlowStep } from "../schema.js";
import { localize } from "../template.js";
import type { FlowFrame, Json } from "../types.js";
import { callArgs } from "./args.js";
import { holds, setSlot } from "./slots.js";
import type { StepDraft } from "./step-draft.js";

/** A definition whose branches loop without asking anything is a bug: stop it, don't spin. */
const MAX_STEPS_PER_TURN = 64;

type Outcome = "continue" | "wait";
type StepOf<T extends FlowStep["type"]> = Extract<FlowStep, { type: T }>;

/** Runs the top flow until it waits (an ask, a call, a handoff) or the stack is empty. */
export function runFlows(draft: StepDraft): void {
  for (let executed = 0; executed < MAX_STEPS_PER_TURN; executed++) {
    const frame = draft.top();
    if (!frame) return;
    const flow = draft.bot.definition.flows[frame.flow];
    const step = flow?.steps[frame.step];
    if (!step) {
      // Falling off the end completes a flow; a flow missing from this version cannot continue.
      finishFlow(draft, frame.flow, flow ? "completed" : "error");
      continue;
    }
    if (execute(draft, frame, step) === "wait") return;
  }
  const stuck = draft.top();
  if (stuck) finishFlow(draft, stuck.flow, "error");
}

function execute(draft: StepDraft, frame: FlowFrame, step: FlowStep): Outcome {
  switch (step.type) {
    case "say":
      draft.say(step.text, step.quickReplies);
      return advance(draft, frame, frame.step + 1);
    case "ask":
      return ask(draft, frame, step);
    case "set":
      if (step.value !== null) setSlot(draft, step.slot, step.value, "set");
      else if (step.slot in draft.state.slots) draft.emit({ type: "slot.cleared", v: 1, at: draft.at, name: step.slot });
      return advance(draft, frame, frame.step + 1);
    case "branch":
      return advance(draft, frame, branchTarget(draft, frame, step));
    case "call":
      return call(draft, frame, step);
    case "handoff":
      if (step.text) draft.say(step.text);
      handOff(draft, step.reason, step.queue);
      return "wait";
    case "end":
      if (step.text) draft.say(step.text);
      finishFlow(draft, frame.flow, "completed");
      return "continue";
    default:
      return step satisfies never;
  }
}

export function advance(draft: StepDraft, frame: FlowFrame, to: number): Outcome {
  draft.emit({ type: "flow.advanced", v: 1, at: draft.at, flow: frame.flow, step: to });
  return "continue";
}

function ask(draft: StepDraft, frame: FlowFrame, step: StepOf<"ask">): Outcome {
  if (step.startAnswer && draft.started?.flow === frame.flow && saysStartAnswer(step.startAnswer.phrases, draft.started.text)) {
    draft.emit({ type: "ask.preanswered", v: 1, at: draft.at, flow: frame.flow, slot: step.slot });
    setSlot(draft, step.slot, step.startAnswer.value, "user");
    return advance(draft, frame, frame.step + 1);
  }
  const slot = draft.state.slots[step.slot];
  if (step.optional) {
    if (slot && slot.at < (frame.startedAt ?? 0)) draft.emit({ type: "slot.cleared", v: 1, at: draft.at, name: step.slot });
    return advance(draft, frame, frame.step + 1);
  }
  if (step.always && slot) draft.emit({ type: "slot.cleared", v: 1, at: draft.at, name: step.slot });
  else if (slot && (!step.fresh || slot.at >= (frame.startedAt ?? 0))) return advance(draft, frame, frame.step + 1);
  draft.emit({ type: "ask.prompted", v: 1, at: draft.at, flow: frame.flow, slot: step.slot });
  const prompt = step.prompt ?? draft.bot.definition.slots[step.slot]?.prompt;
  if (prompt) draft.say(prompt);
  offerChoices(draft, step.slot);
  return "wait";
}

/** Whether a message that (re)starts the flow answers an ask with `startAnswer`: every such message, or only one holding a phrase. */
export function saysStartAnswer(phrases: readonly string[], text: string): boolean {
  if (phrases.length === 0) return true;
  const lower = normalizeText(text);
  return phrases.some((phrase) => findPhrase(lower, normalizeText(phrase)).length > 0);
}

/** Enum slots offer their values as quick replies: labels in the user's language (labels are also synonyms). */
export function offerChoices(draft: StepDraft, slot: string): void {
  const entityName = draft.bot.definition.slots[slot]?.entity;
  const entity = entityName === undefined ? undefined : draft.bot.definition.entities[entityName];
  if (entity?.type !== "enum") return;
  draft.offer(entity.values.map((v) => (v.label === undefined ? v.value : localize(v.label, draft.lang))));
}

function branchTarget(draft: StepDraft, frame: FlowFrame, step: StepOf<"branch">): number {
  const ids = draft.bot.stepIndex[frame.flow] ?? {};
  const match = step.cases.find((c) => c.when.every((condition) => holds(draft.state, condition)));
  const target = match?.goto ?? step.else;
  return target === undefined ? frame.step + 1 : (ids[target] ?? frame.step + 1);
}

function call(draft: StepDraft, frame: FlowFrame, step: StepOf<"call">): Outcome {
  const calls = draft.state.memory.calls;
  const callId = `c${(typeof calls === "number" ? calls : 0) + 1}`;
  const def = draft.bot.definition.actions[step.action];
  const kind = def?.kind ?? "builtin";
  draft.emit({ type: "action.requested", v: 1, at: draft.at, flow: frame.flow, callId, action: step.action, kind });
  draft.action = {
    callId,
    name: step.action,
    kind,
    ...(def?.kind === "webhook" ? { url: def.url } : {}),
    args: callArgs(draft, step.args),
  };
  return "wait";
}

/** Ends a flow; the one below it (if any) resumes and will re-ask its pending question. */
export function finishFlow(draft: StepDraft, flow: string, reason: FlowEndReason): void {
  draft.emit({ type: "flow.ended", v: 1, at: draft.at, flow, reason });
  if (reason === "completed" && draft.bot.definition.flows[flow]?.followUp) draft.emit({ type: "followup.armed", v: 1, at: draft.at, flow });
  const below = draft.top();
  if (!below) return;
  draft.emit({ type: "flow.resumed", v: 1, at: draft.at, flow: below.flow });
  const resumeText = draft.bot.definition.flows[below.flow]?.resumeText;
  if (resumeText) draft.say(resumeText);
}

/** Hands the conversation to a human (in `queue`, else the bot's first): every open flow ends, none resumes. */
export function handOff(draft: StepDraft, reason: string, queue?: string): void {
  const line = queue ?? draft.bot.definition.handoff.queues[0] ?? "general";
  draft.emit({ type: "handoff.requested", v: 1, at: draft.at, flow: draft.top()?.flow ?? null, reason, queue: line });
  for (let frame = draft.top(); frame; frame = draft.top()) {
    draft.emit({ type: "flow.ended", v: 1, at: draft.at, flow: frame.flow, reason: "handoff" });
  }
}

/** `result.key` (dotted) of an action's result, as a slot value; null when absent or not a scalar. */
export function resultField(result: Json, path: string): string | number | null {
  let value: Json | undefined = result;
  for (const key of path.split(".")) {
    value = value !== null && typeof value === "object" && !Array.isArray(value) ? value[key] : undefined;
  }
  if (typeof value === "boolean") return String(value);
  return typeof value === "string" || typeof value === "number" ? value : null;
}
