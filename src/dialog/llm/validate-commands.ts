import type { CompiledBot } from "../compile.js";
import { answerFor } from "../engine/slots.js";
import type { DialogState } from "../types.js";
import { slotOffLimits, startableFlows } from "./command-schema.js";
import type { DroppedCommand, LlmCommand, LlmCommandName } from "./commands.js";
import { ANSWERING, FLOW_CHANGING, LLM_COMMAND_NAMES } from "./commands.js";

export interface ValidatedCommands {
  accepted: LlmCommand[];
  dropped: DroppedCommand[];
}

/** What a batch has decided so far: the flows whose slots it may set, and whether the stack already changed. */
interface Batch {
  bot: CompiledBot;
  state: DialogState;
  scope: string[];
  flowChanged: boolean;
}

/**
 * The model's raw commands → those the engine will apply, by the rules a typed message meets:
 * a flow must be one an intent of this version starts; a slot must be one the open flow (or a
 * flow started in the same batch) asks, not sensitive, not filled by an action, and its value
 * must parse by the slot's entity and pass its validation exactly as if the user had typed it;
 * a correction only replaces a value already set; one flow change per message; an answer
 * (knowledge, chit-chat, clarification) goes alone. Anything else is dropped, with the reason.
 *
 * @example validateCommands([{ command: "set_slot", slot: "size", value: "99" }], shop, state).dropped[0].reason // → "invalid value for size"
 */
export function validateCommands(raw: readonly unknown[], bot: CompiledBot, state: DialogState): ValidatedCommands {
  const open = state.flows.at(-1)?.flow;
  const batch: Batch = { bot, state, scope: open === undefined ? [] : [open], flowChanged: false };
  const accepted: LlmCommand[] = [];
  const dropped: DroppedCommand[] = [];
  for (const command of raw) {
    const checked = check(batch, command);
    if (typeof checked === "string") dropped.push({ command, reason: checked });
    else accepted.push(checked);
  }
  const answers = accepted.filter((c) => ANSWERING.has(c.command));
  if (answers.length === 0 || (answers.length === 1 && accepted.length === 1)) return { accepted, dropped };
  const alone = accepted.length === answers.length ? answers.slice(0, 1) : [];
  for (const command of answers.filter((c) => !alone.includes(c))) dropped.push({ command, reason: "an answer command goes alone" });
  return { accepted: accepted.filter((c) => !ANSWERING.has(c.command) || alone.includes(c)), dropped };
}

function check(batch: Batch, raw: unknown): LlmCommand | string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "not a command object";
  const fields = raw as Record<string, unknown>;
  const name = fields.command;
  if (typeof name !== "string" || !isCommandName(name)) return unknownCommand(name);
  if (FLOW_CHANGING.has(name) && batch.flowChanged) return "more than one flow-changing command";
  switch (name) {
    case "start_flow":
      return startFlowCommand(batch, fields.flow);
    case "set_slot":
    case "correct_slot":
      return slotCommand(batch, name, fields.slot, fields.value);
    case "cancel_flow": {
      const open = batch.state.flows.at(-1)?.flow;
      if (open === undefined) return "no open flow to cancel";
      batch.flowChanged = true;
      const below = batch.state.flows.at(-2)?.flow;
      batch.scope = below === undefined ? [] : [below];
      return { command: "cancel_flow" };
    }
    case "clarify": {
      const flows = Array.isArray(fields.flows) ? fields.flows.filter((f): f is string => typeof f === "string" && startableFlows(batch.bot).includes(f)) : [];
      return flows.length === 0 ? "clarify names no known flow" : { command: "clarify", flows: [...new Set(flows)] };
    }
    case "human_handoff":
      batch.flowChanged = true;
      return { command: "human_handoff" };
    case "knowledge_answer":
    case "chitchat":
      return { command: name };
    default:
      return name satisfies never;
  }
}

/** The reason names the command only when it looks like one: a reason is stored, and the model's text could hold anything. */
function unknownCommand(name: unknown): string {
  return typeof name === "string" && /^[a-z_.]{1,40}$/i.test(name) ? `unknown command "${name}"` : "unknown command";
}

function isCommandName(name: string): name is LlmCommandName {
  return (LLM_COMMAND_NAMES as readonly string[]).includes(name);
}

function startFlowCommand(batch: Batch, flow: unknown): LlmCommand | string {
  if (typeof flow !== "string" || !startableFlows(batch.bot).includes(flow)) return "unknown flow";
  if (batch.state.flows.at(-1)?.flow === flow) return "flow already open";
  batch.flowChanged = true;
  batch.scope = [...batch.scope, flow];
  return { command: "start_flow", flow };
}

function slotCommand(batch: Batch, name: "set_slot" | "correct_slot", slot: unknown, value: unknown): LlmCommand | string {
  if (typeof slot !== "string") return "no slot named";
  const offLimits = slotOffLimits(batch.bot, slot);
  if (offLimits !== null) return offLimits;
  const flow = batch.scope.findLast((f) => (batch.bot.flowSlots[f] ?? []).some((s) => s.slot === slot));
  if (flow === undefined) return "slot not asked by the open flow";
  const waiting = batch.state.flows.at(-1)?.waiting;
  const asked = waiting?.kind === "ask" && waiting.slot === slot && batch.state.flows.at(-1)?.flow === flow;
  // A confirmation takes only an answer to its own question (as fillFlowSlots leaves it alone).
  if (!asked && batch.bot.flowSlots[flow]?.find((s) => s.slot === slot)?.always) return "confirmation not being asked";
  if (name === "correct_slot" && batch.state.slots[slot] === undefined) return "correction of a slot not set";
  if (typeof value !== "string" && typeof value !== "number") return `no value for ${slot}`;
  const text = String(value).trim();
  if (text.includes("***") || batch.bot.sensitive.find(text).length > 0) return "sensitive value";
  // The value is read as if the user had typed it in answer to the slot's question.
  const parsed = answerFor(batch.bot, batch.state, flow, slot, batch.bot.nlu.understand(text), text);
  if (parsed === null) return `invalid value for ${slot}`;
  return { command: name, slot, value: parsed.value };
}
