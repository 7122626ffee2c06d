import type { CompiledKnowledge } from "./knowledge/knowledge.js";
import { compileKnowledge } from "./knowledge/knowledge.js";
import type { CompiledNlu } from "./nlu/nlu.js";
import { compileNlu } from "./nlu/nlu.js";
import type { SensitiveFinder } from "./nlu/sensitive.js";
import { compileSensitiveFinder } from "./nlu/sensitive.js";
import type { BotDefinition, Duration, SlotDef } from "./schema.js";

/** A slot an `ask` step of a flow fills, with the entity that can fill it from any utterance. */
export interface FlowSlot {
  slot: string;
  entity: string | undefined;
  /** every ask of it is `always` (a confirmation): a value found in another message would be cleared, so none is taken */
  always: boolean;
}

/**
 * A definition made ready to run: NLU trained, lookups precomputed. Built once per
 * (immutable) version and cached by callers; the engine only reads it.
 */
export interface CompiledBot {
  id: string;
  version: string;
  definition: BotDefinition;
  nlu: CompiledNlu;
  /** the knowledge base and the small talk, indexed for retrieval */
  knowledge: CompiledKnowledge;
  /** phone numbers, addresses and other sensitive values in any message: sealed at rest, masked when shown */
  sensitive: SensitiveFinder;
  threshold: number;
  idleMs: number;
  /** ms a slot survives across sessions; absent = reset with each session */
  carryOverMs: Readonly<Record<string, number>>;
  intentFlow: Readonly<Record<string, string>>;
  /** slots asked by each flow: entities in any utterance fill them */
  flowSlots: Readonly<Record<string, readonly FlowSlot[]>>;
  /** step id → index, per flow */
  stepIndex: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * @example
 * const bot = compileBot(validated.bot);
 * parseUtterance(bot, "那款鞋还有 39 码吗?").entities // → { size: 39 }
 */
export function compileBot(definition: BotDefinition): CompiledBot {
  return {
    id: definition.id,
    version: definition.version,
    definition,
    nlu: compileNlu(definition),
    knowledge: compileKnowledge(definition),
    sensitive: compileSensitiveFinder(definition),
    threshold: definition.nlu.threshold,
    idleMs: definition.session.idleSeconds * 1000,
    carryOverMs: carryOverOf(definition.slots),
    intentFlow: Object.fromEntries(Object.entries(definition.intents).map(([intent, def]) => [intent, def.flow ?? intent])),
    flowSlots: Object.fromEntries(Object.entries(definition.flows).map(([name, flow]) => [name, askedSlots(definition, flow.steps)])),
    stepIndex: Object.fromEntries(
      Object.entries(definition.flows).map(([name, flow]) => [
        name,
        Object.fromEntries(flow.steps.flatMap((step, index) => (step.id === undefined ? [] : [[step.id, index] as const]))),
      ]),
    ),
  };
}

function askedSlots(def: BotDefinition, steps: BotDefinition["flows"][string]["steps"]): FlowSlot[] {
  const slots = new Set(steps.flatMap((step) => (step.type === "ask" ? [step.slot] : [])));
  const always = (slot: string): boolean => steps.every((step) => step.type !== "ask" || step.slot !== slot || step.always);
  return [...slots].map((slot) => ({ slot, entity: def.slots[slot]?.entity, always: always(slot) }));
}

function carryOverOf(slots: Record<string, SlotDef>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, slot] of Object.entries(slots)) if (slot.carryOver !== undefined) out[name] = durationMs(slot.carryOver);
  return out;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30` (seconds), `"30d"`, `"forever"` → milliseconds (Infinity for forever). */
export function durationMs(duration: Duration): number {
  if (typeof duration === "number") return duration * 1000;
  if (duration === "forever") return Number.POSITIVE_INFINITY;
  const unit = UNIT_MS[duration.slice(-1)] ?? 1000;
  return Number(duration.slice(0, -1)) * unit;
}

/** For callers that redact: `GET /v1/conversation` shows sensitive slots as `"***1234"`. */
export function slotIsSensitive(bot: CompiledBot, name: string): boolean {
  return bot.definition.slots[name]?.sensitive ?? false;
}
