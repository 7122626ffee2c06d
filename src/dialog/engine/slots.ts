import type { CompiledBot } from "../compile.js";
import type { SlotSource } from "../events.js";
import type { Understanding } from "../nlu/nlu.js";
import type { Condition } from "../schema.js";
import type { DialogState, SlotScalar } from "../types.js";
import { addressValue, freeTextValue } from "./segments.js";
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
 * value ("that one"), else — for a slot without an entity, or a `freeText` one — the text
 * that is not another slot's value or cue ("新地址是…，电话 139…" → the address alone).
 */
export function answerFor(
  bot: CompiledBot,
  state: DialogState,
  flow: string,
  slot: string,
  nlu: Understanding,
  text: string,
): { value: SlotScalar; source: SlotSource } | null {
  const def = bot.definition.slots[slot];
  if (def?.entity !== undefined && !def.freeText) {
    const value = entityValueFor(bot, flow, slot, nlu, text);
    if (value !== undefined) return { value, source: "user" };
    const previous = state.slots[slot];
    if (previous && nlu.references.includes(slot)) return { value: previous.value, source: "reference" };
    return null;
  }
  const free = freeTextValue(bot, flow, slot, text, nlu);
  return free.length > 0 && isValidSlotValue(bot, slot, free) ? { value: free, source: "user" } : null;
}

/**
 * The value the message gives for `slot` by its entity, valid for the slot: the first (or with
 * `last`, for a correction like "不是41，是42", the last) match; an address stops at the next slot's cue.
 */
export function entityValueFor(bot: CompiledBot, flow: string, slot: string, nlu: Understanding, text: string, last = false): SlotScalar | undefined {
  const entity = bot.definition.slots[slot]?.entity;
  if (entity === undefined) return undefined;
  const span = last ? nlu.spans.findLast((s) => s.entity === entity) : undefined;
  let value = span?.value ?? nlu.entities[entity];
  if (value === undefined) return undefined;
  if (bot.definition.entities[entity]?.type === "address") {
    const at = span ?? nlu.spans.find((s) => s.entity === entity);
    if (at) value = addressValue(bot, flow, slot, text, nlu, at.start) ?? value;
  }
  return isValidSlotValue(bot, slot, value) ? value : undefined;
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
export function fillFlowSlots(draft: StepDraft, flow: string, nlu: Understanding, text: string, except?: string): void {
  for (const { slot, entity, always } of draft.bot.flowSlots[flow] ?? []) {
    if (entity === undefined || always || slot === except) continue;
    const value = entityValueFor(draft.bot, flow, slot, nlu, text);
    if (value !== undefined) {
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
