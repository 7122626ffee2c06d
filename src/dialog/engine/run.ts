import type { FlowEndReason } from "../events.js";
import type { FlowStep } from "../schema.js";
import { localize } from "../template.js";
import type { FlowFrame, Json } from "../types.js";
import { callArgs } from "./args.js";
import { holds, setSlot } from "./slots.js";
import type { Turn } from "./turn.js";

/** A definition whose branches loop without asking anything is a bug: stop it, don't spin. */
const MAX_STEPS_PER_TURN = 64;

type Outcome = "continue" | "wait";
type StepOf<T extends FlowStep["type"]> = Extract<FlowStep, { type: T }>;

/** Runs the top flow until it waits (an ask, a call, a handoff) or the stack is empty. */
export function runFlows(turn: Turn): void {
  for (let executed = 0; executed < MAX_STEPS_PER_TURN; executed++) {
    const frame = turn.top();
    if (!frame) return;
    const flow = turn.bot.definition.flows[frame.flow];
    const step = flow?.steps[frame.step];
    if (!step) {
      // Falling off the end completes a flow; a flow missing from this version cannot continue.
      finishFlow(turn, frame.flow, flow ? "completed" : "error");
      continue;
    }
    if (execute(turn, frame, step) === "wait") return;
  }
  const stuck = turn.top();
  if (stuck) finishFlow(turn, stuck.flow, "error");
}

function execute(turn: Turn, frame: FlowFrame, step: FlowStep): Outcome {
  switch (step.type) {
    case "say":
      turn.say(step.text, step.quickReplies);
      return advance(turn, frame, frame.step + 1);
    case "ask":
      return ask(turn, frame, step);
    case "set":
      if (step.value !== null) setSlot(turn, step.slot, step.value, "set");
      else if (step.slot in turn.state.slots) turn.emit({ type: "slot.cleared", v: 1, at: turn.at, name: step.slot });
      return advance(turn, frame, frame.step + 1);
    case "branch":
      return advance(turn, frame, branchTarget(turn, frame, step));
    case "call":
      return call(turn, frame, step);
    case "handoff":
      if (step.text) turn.say(step.text);
      handOff(turn, step.reason);
      return "wait";
    case "end":
      if (step.text) turn.say(step.text);
      finishFlow(turn, frame.flow, "completed");
      return "continue";
    default:
      return step satisfies never;
  }
}

export function advance(turn: Turn, frame: FlowFrame, to: number): Outcome {
  turn.emit({ type: "flow.advanced", v: 1, at: turn.at, flow: frame.flow, step: to });
  return "continue";
}

function ask(turn: Turn, frame: FlowFrame, step: StepOf<"ask">): Outcome {
  const slot = turn.state.slots[step.slot];
  if (step.always && slot) turn.emit({ type: "slot.cleared", v: 1, at: turn.at, name: step.slot });
  else if (slot && (!step.fresh || slot.at >= (frame.startedAt ?? 0))) return advance(turn, frame, frame.step + 1);
  turn.emit({ type: "ask.prompted", v: 1, at: turn.at, flow: frame.flow, slot: step.slot });
  const prompt = step.prompt ?? turn.bot.definition.slots[step.slot]?.prompt;
  if (prompt) turn.say(prompt);
  offerChoices(turn, step.slot);
  return "wait";
}

/** Enum slots offer their values as quick replies: labels in the user's language (labels are also synonyms). */
export function offerChoices(turn: Turn, slot: string): void {
  const entityName = turn.bot.definition.slots[slot]?.entity;
  const entity = entityName === undefined ? undefined : turn.bot.definition.entities[entityName];
  if (entity?.type !== "enum") return;
  turn.offer(entity.values.map((v) => (v.label === undefined ? v.value : localize(v.label, turn.lang))));
}

function branchTarget(turn: Turn, frame: FlowFrame, step: StepOf<"branch">): number {
  const ids = turn.bot.stepIndex[frame.flow] ?? {};
  const match = step.cases.find((c) => c.when.every((condition) => holds(turn.state, condition)));
  const target = match?.goto ?? step.else;
  return target === undefined ? frame.step + 1 : (ids[target] ?? frame.step + 1);
}

function call(turn: Turn, frame: FlowFrame, step: StepOf<"call">): Outcome {
  const calls = turn.state.memory.calls;
  const callId = `c${(typeof calls === "number" ? calls : 0) + 1}`;
  const def = turn.bot.definition.actions[step.action];
  const kind = def?.kind ?? "builtin";
  turn.emit({ type: "action.requested", v: 1, at: turn.at, flow: frame.flow, callId, action: step.action, kind });
  turn.action = {
    callId,
    name: step.action,
    kind,
    ...(def?.kind === "webhook" ? { url: def.url } : {}),
    args: callArgs(turn, step.args),
  };
  return "wait";
}

/** Ends a flow; the one below it (if any) resumes and will re-ask its pending question. */
export function finishFlow(turn: Turn, flow: string, reason: FlowEndReason): void {
  turn.emit({ type: "flow.ended", v: 1, at: turn.at, flow, reason });
  const below = turn.top();
  if (!below) return;
  turn.emit({ type: "flow.resumed", v: 1, at: turn.at, flow: below.flow });
  const resumeText = turn.bot.definition.flows[below.flow]?.resumeText;
  if (resumeText) turn.say(resumeText);
}

/** Hands the conversation to a human: every open flow ends, none resumes. */
export function handOff(turn: Turn, reason: string): void {
  turn.emit({ type: "handoff.requested", v: 1, at: turn.at, flow: turn.top()?.flow ?? null, reason });
  for (let frame = turn.top(); frame; frame = turn.top()) {
    turn.emit({ type: "flow.ended", v: 1, at: turn.at, flow: frame.flow, reason: "handoff" });
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
