import type { Understanding } from "../nlu/nlu.js";
import { findPhrase, normalizeText } from "../nlu/text.js";
import { followUpMemory } from "../reducer.js";
import type { FlowFrame, SlotScalar } from "../types.js";
import { advance, runFlows } from "./run.js";
import { entityValueFor, setSlot } from "./slots.js";
import type { StepDraft } from "./step-draft.js";

/** Phrases that mark a message as a follow-up even when it also reads as the flow's own intent. */
const DEFAULT_FOLLOW_UP_CUES = ["what about", "how about", "and", "what if", "then", "also", "instead", "ones", "the same", "呢", "那", "换成", "要是", "改成"];
/** A message that opens with one of these corrects a value given before ("no, 42", "不是41，是42"). */
const CORRECTION_CUES = [
  "no",
  "nope",
  "not",
  "actually",
  "i meant",
  "i mean",
  "sorry",
  "oops",
  "make that",
  "make it",
  "wait",
  "correction",
  "不是",
  "不对",
  "我是说",
  "我说的是",
  "应该是",
  "错了",
  "其实",
  "更正",
];

/** Whether the message opens with a correction cue ("no, 42"; "nothing" is not "no"). */
export function isCorrection(text: string): boolean {
  const lower = normalizeText(text).trimStart();
  return CORRECTION_CUES.some((cue) => findPhrase(lower, cue)[0] === 0);
}

/** The task just finished that a follow-up may rerun: still inside the window its flow allows. */
function openTask(draft: StepDraft): { flow: string; cues: readonly string[] } | null {
  const memory = followUpMemory(draft.state);
  const option = memory === null ? undefined : draft.bot.definition.flows[memory.flow]?.followUp;
  if (memory === null || option === undefined) return null;
  if (option.turns !== undefined && memory.turns > option.turns) return null;
  if (option.seconds !== undefined && draft.at - memory.at > option.seconds * 1000) return null;
  return { flow: memory.flow, cues: option.cues ?? DEFAULT_FOLLOW_UP_CUES };
}

/** The values the message gives for the flow's slots, by their entities. */
function givenValues(draft: StepDraft, flow: string, nlu: Understanding, text: string, last: boolean): Map<string, SlotScalar> {
  const given = new Map<string, SlotScalar>();
  for (const { slot, entity, always } of draft.bot.flowSlots[flow] ?? []) {
    if (entity === undefined || always) continue;
    const value = entityValueFor(draft.bot, flow, slot, nlu, text, last);
    if (value !== undefined) given.set(slot, value);
  }
  return given;
}

/**
 * With no flow open: a message carrying only new values for the slots of the task just finished
 * ("what about 40?", "那40码呢", "no, 42") runs that flow again with the other slots carried.
 * A message that reads as another flow's intent is never a follow-up; one that reads as the same
 * flow's intent is one only with a follow-up cue ("how about size 41") or a correction cue.
 */
export function followUp(draft: StepDraft, nlu: Understanding, intent: string | null, text: string): boolean {
  if (draft.top()) return false;
  const task = openTask(draft);
  if (!task) return false;
  const correcting = isCorrection(text);
  const target = intent === null ? undefined : draft.bot.intentFlow[intent];
  if (target !== undefined && target !== task.flow) return false;
  if (target !== undefined && !correcting && !task.cues.some((cue) => findPhrase(normalizeText(text), normalizeText(cue)).length > 0)) return false;
  const given = givenValues(draft, task.flow, nlu, text, correcting);
  if (given.size === 0) return false;
  rerun(draft, task.flow, given, intent, correcting);
  return true;
}

function rerun(draft: StepDraft, flow: string, given: ReadonlyMap<string, SlotScalar>, intent: string | null, correcting: boolean): void {
  for (const [name, value] of given) {
    const before = draft.state.slots[name];
    if (correcting && before !== undefined && before.value !== value) draft.emit({ type: "slot.corrected", v: 1, at: draft.at, flow, name, step: null });
  }
  draft.emit({ type: "followup.taken", v: 1, at: draft.at, flow, slots: [...given.keys()] });
  draft.emit({ type: "flow.started", v: 1, at: draft.at, flow, botVersion: draft.bot.version, intent });
  // The carried values are stamped again, so the flow's `fresh` questions take them.
  for (const { slot, always } of draft.bot.flowSlots[flow] ?? []) {
    const carried = draft.state.slots[slot];
    if (!always && !given.has(slot) && carried !== undefined) setSlot(draft, slot, carried.value, "reference");
  }
  for (const [name, value] of given) setSlot(draft, name, value, "user");
  runFlows(draft);
}

/** The flow asks a confirmation (an `always` ask): new values for its other slots are a correction, cue or not. */
function confirming(draft: StepDraft, frame: FlowFrame): boolean {
  const step = draft.bot.definition.flows[frame.flow]?.steps[frame.step];
  return step?.type === "ask" && step.always;
}

/**
 * Inside a flow: "no, the phone is 139…", "actually size 40" replace a value given earlier in it
 * (not the one being asked for) and the flow runs again from the question that took it, so every
 * step that used the value (a confirmation, a lookup) sees the new one. At a confirmation no cue
 * is needed: "我要改收货地址，新地址是…，电话…" while asked "save the old one?" is not its yes.
 */
export function correctInFlow(draft: StepDraft, frame: FlowFrame, waiting: string, nlu: Understanding, text: string): boolean {
  if (!isCorrection(text) && !confirming(draft, frame)) return false;
  const changed = [...givenValues(draft, frame.flow, nlu, text, true)].filter(([slot, value]) => {
    const before = draft.state.slots[slot];
    return slot !== waiting && before !== undefined && before.value !== value;
  });
  if (changed.length === 0) return false;
  correctSlots(draft, frame, changed);
  runFlows(draft);
  return true;
}

/** Replaces values given earlier in the flow and moves it back to the first question that asked one of them (run it after). */
export function correctSlots(draft: StepDraft, frame: FlowFrame, changed: readonly (readonly [string, SlotScalar])[]): void {
  const steps = draft.bot.definition.flows[frame.flow]?.steps ?? [];
  const asked = changed.map(([slot]) => steps.findIndex((s) => s.type === "ask" && s.slot === slot)).filter((index) => index >= 0);
  const from = Math.min(frame.step, ...asked);
  for (const [name, value] of changed) {
    draft.emit({ type: "slot.corrected", v: 1, at: draft.at, flow: frame.flow, name, step: from });
    setSlot(draft, name, value, "user");
  }
  advance(draft, frame, from);
}
