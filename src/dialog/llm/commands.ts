import type { SlotScalar } from "../types.js";

/**
 * What a language model may propose for one message (Rasa CALM's commands). It proposes, the
 * engine decides: each command is validated by the rules a typed answer meets (validate-commands.ts)
 * and applied with the engine's own functions. None names an action, a webhook,
 * a draw or a payout: only a flow the command starts can reach those, through its own steps.
 */
export type LlmCommand =
  | { command: "start_flow"; flow: string }
  | { command: "set_slot"; slot: string; value: SlotScalar }
  | { command: "correct_slot"; slot: string; value: SlotScalar }
  | { command: "cancel_flow" }
  | { command: "clarify"; flows: string[] }
  | { command: "knowledge_answer" }
  | { command: "chitchat" }
  | { command: "human_handoff" };

export type LlmCommandName = LlmCommand["command"];

export const LLM_COMMAND_NAMES: readonly LlmCommandName[] = [
  "start_flow",
  "set_slot",
  "correct_slot",
  "cancel_flow",
  "clarify",
  "knowledge_answer",
  "chitchat",
  "human_handoff",
];

/** A command the engine did not apply, and why (the reason never quotes the command's values). */
export interface DroppedCommand {
  command: unknown;
  reason: string;
}

/** Commands that change the flow stack: one per message at most. */
export const FLOW_CHANGING: ReadonlySet<LlmCommandName> = new Set(["start_flow", "cancel_flow", "human_handoff"]);
/** Commands that are the whole answer to the message: alone, or they are dropped. */
export const ANSWERING: ReadonlySet<LlmCommandName> = new Set(["clarify", "knowledge_answer", "chitchat"]);
