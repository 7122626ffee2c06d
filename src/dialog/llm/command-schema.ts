import type { CompiledBot } from "../compile.js";

/**
 * The flows a command may start: those an intent starts, as a message would. Flows only
 * reached from other flows (and anything else) are not nameable.
 */
export function startableFlows(bot: CompiledBot): string[] {
  return [...new Set(Object.values(bot.intentFlow))].filter((flow) => flow in bot.definition.flows).sort();
}

/** Slots some action fills (`assign` of a `call` step): only the action's result may set them. */
export function actionFilledSlots(bot: CompiledBot): Set<string> {
  const filled = new Set<string>();
  for (const flow of Object.values(bot.definition.flows))
    for (const step of flow.steps) if (step.type === "call") for (const slot of Object.keys(step.assign)) filled.add(slot);
  return filled;
}

/**
 * Why the model may not set `slot` at all, whatever the dialog's state (null: it may): a
 * sensitive slot (the model only ever sees such values masked), one an action fills, one
 * no startable flow asks for.
 */
export function slotOffLimits(bot: CompiledBot, slot: string): string | null {
  const def = bot.definition.slots[slot];
  if (def === undefined) return "unknown slot";
  if (def.sensitive || (def.entity !== undefined && bot.sensitive.entities.has(def.entity))) return "sensitive slot";
  if (actionFilledSlots(bot).has(slot)) return "slot filled by an action";
  if (!startableFlows(bot).some((flow) => (bot.flowSlots[flow] ?? []).some((s) => s.slot === slot))) return "slot asked by no flow";
  return null;
}

/** The slots the model may name in this version. */
export function settableSlots(bot: CompiledBot): string[] {
  return Object.keys(bot.definition.slots)
    .filter((slot) => slotOffLimits(bot, slot) === null)
    .sort();
}

type JsonSchema = Record<string, unknown>;

/**
 * The JSON schema of the model's answer for one compiled bot version (OpenAI `json_schema`,
 * strict mode: every property required, no additional ones, `anyOf` below the root). Flows and
 * slots are enums of this version's, so a model held to it cannot even name another.
 *
 * @example commandJsonSchema(shop).schema.properties.commands.items.anyOf[0] // → the start_flow command, flow ∈ ["check_stock", …]
 */
export function commandJsonSchema(bot: CompiledBot): { name: string; schema: JsonSchema } {
  const flows = startableFlows(bot);
  const slots = settableSlots(bot);
  const variants: JsonSchema[] = [
    ...(flows.length > 0 ? [command("start_flow", { flow: { type: "string", enum: flows } })] : []),
    ...(slots.length > 0
      ? [
          command("set_slot", { slot: { type: "string", enum: slots }, value: { type: "string" } }),
          command("correct_slot", { slot: { type: "string", enum: slots }, value: { type: "string" } }),
        ]
      : []),
    command("cancel_flow", {}),
    ...(flows.length > 0 ? [command("clarify", { flows: { type: "array", items: { type: "string", enum: flows } } })] : []),
    command("knowledge_answer", {}),
    command("chitchat", {}),
    command("human_handoff", {}),
  ];
  return {
    name: "parley_commands",
    schema: {
      type: "object",
      properties: { commands: { type: "array", items: { anyOf: variants } } },
      required: ["commands"],
      additionalProperties: false,
    },
  };
}

function command(name: string, fields: Record<string, JsonSchema>): JsonSchema {
  return {
    type: "object",
    properties: { command: { type: "string", enum: [name] }, ...fields },
    required: ["command", ...Object.keys(fields)],
    additionalProperties: false,
  };
}
