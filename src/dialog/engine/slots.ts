import type { CompiledBot } from "../compile.js";
import type { SlotSource } from "../events.js";
import type { Understanding } from "../nlu/nlu.js";
import type { Condition } from "../schema.js";
import type { DialogState, SlotScalar } from "../types.js";
import type { StepDraft } from "./step-draft.js";

/** Whether `value` passes the slot's own validation (entity ranges are checked at extraction). */
export function isValidSlotValue(bot: CompiledBot, slot: string, value: SlotScalar): boolean {
  const rules = bot.definition.slots[slot]?.validate;
  if (!rules) return true;
  if (typeof value === "number") {
    return (rules.min === undefined || value >= rules.min) && (rules.max === undefined || value <= rules.max);
  }
  if (rules.minLength !== undefined && value.length < rules.minLength) return false;
  if (rules.maxLength !== undefined && value.length > rules.maxLength) return false;
  return rules.pattern === undefined || new RegExp(rules.pattern, "u").test(value);
}

/**
 * What the utterance says for `slot`: its entity, else a reference to the slot's last
 * value ("that one"), else — for a slot without an entity — the whole text.
 */
export function answerFor(
  bot: CompiledBot,
  state: DialogState,
  slot: string,
  nlu: Understanding,
  text: string,
): { value: SlotScalar; source: SlotSource } | null {
  const entity = bot.definition.slots[slot]?.entity;
  if (entity !== undefined) {
    const value = nlu.entities[entity];
    if (value !== undefined && isValidSlotValue(bot, slot, value)) return { value, source: "user" };
    const previous = state.slots[slot];
    if (previous && nlu.references.includes(slot)) return { value: previous.value, source: "reference" };
    return null;
  }
  const free = text.trim();
  return free.length > 0 && isValidSlotValue(bot, slot, free) ? { value: free, source: "user" } : null;
}

/**
 * A slot is sensitive when its definition says so, or when its value holds a phone number,
 * an address or another sensitive entity's match (a free-text nickname "13987650123"): the
 * value is then sealed at rest and masked in replies like a declared one.
 */
export function setSlot(draft: StepDraft, name: string, value: SlotScalar, source: SlotSource): void {
  const sensitive = (draft.bot.definition.slots[name]?.sensitive ?? false) || draft.bot.sensitive.find(String(value)).length > 0;
  draft.emit({ type: "slot.set", v: 1, at: draft.at, name, value, source, ...(sensitive ? { sensitive: true } : {}) });
}

/**
 * Entities in any utterance fill the slots the flow asks for, so "running shoes in 42"
 * skips both questions; references re-stamp an old value so a `fresh` ask accepts it.
 */
export function fillFlowSlots(draft: StepDraft, flow: string, nlu: Understanding, except?: string): void {
  for (const { slot, entity } of draft.bot.flowSlots[flow] ?? []) {
    if (entity === undefined || slot === except) continue;
    const value = nlu.entities[entity];
    if (value !== undefined && isValidSlotValue(draft.bot, slot, value)) {
      setSlot(draft, slot, value, "user");
      continue;
    }
    const previous = draft.state.slots[slot];
    if (previous && nlu.references.includes(slot)) setSlot(draft, slot, previous.value, "reference");
  }
}

export function holds(state: DialogState, condition: Condition): boolean {
  const value = state.slots[condition.slot]?.value;
  switch (condition.op) {
    case "exists":
      return value !== undefined;
    case "missing":
      return value === undefined;
    case "equals":
      return value === condition.value;
    case "not_equals":
      return value !== condition.value;
    case "in":
      return value !== undefined && condition.values.includes(value);
    case "gt":
      return typeof value === "number" && value > condition.value;
    case "gte":
      return typeof value === "number" && value >= condition.value;
    case "lt":
      return typeof value === "number" && value < condition.value;
    case "lte":
      return typeof value === "number" && value <= condition.value;
    default:
      return condition satisfies never;
  }
}
