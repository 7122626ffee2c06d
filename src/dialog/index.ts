/**
 * The dialog engine: bot definitions (schema, validation, compilation), the NLU, and the
 * pure `step(state, input, bot) → { events, reply, action? }` with its event reducer.
 * Nothing here does I/O; actions are run by the caller (see {@link builtinActions}).
 */

export type { BuiltinAction } from "./actions/index.js";
export { builtinActions, isBuiltinAction, serviceActions } from "./actions/index.js";
export type { CompiledBot } from "./compile.js";
export { compileBot, durationMs, slotIsSensitive } from "./compile.js";
export { wantsUnderstanding } from "./engine/commands.js";
export { step } from "./engine/step.js";
export type { GenerationRequest, StepResult } from "./engine/step-draft.js";
export type * from "./events.js";
export { commandJsonSchema, settableSlots, startableFlows } from "./llm/command-schema.js";
export type { DroppedCommand, LlmCommand } from "./llm/commands.js";
export { maskForModel } from "./llm/mask.js";
export type { ReplyCheck, ReplyContext, ReplyProblem } from "./llm/output-check.js";
export { checkReply } from "./llm/output-check.js";
export type { ParsedCommands } from "./llm/parse-commands.js";
export { parseCommands } from "./llm/parse-commands.js";
export type { RecentTurn } from "./llm/prompt.js";
export { answerMessages, understandingMessages } from "./llm/prompt.js";
export { replaceScripted } from "./llm/reply.js";
export type { ValidatedCommands } from "./llm/validate-commands.js";
export { validateCommands } from "./llm/validate-commands.js";
export type { LlmSettings } from "./llm-schema.js";
export { findChineseNumerals, parseChineseNumeral } from "./nlu/chinese-numerals.js";
export type { SensitiveMatch } from "./nlu/sensitive.js";
export { detectLanguage } from "./nlu/text.js";
export type { ParseResult } from "./parse.js";
export { parseUtterance } from "./parse.js";
export { activeFlow, applyDialogEvent, initialDialogState } from "./reducer.js";
export type { BotDefinition, Condition, EntityDef, FlowDef, FlowStep, HandoffDef, LocalizedText, SlotDef } from "./schema.js";
export { localize, maskValue, renderTemplate } from "./template.js";
export type * from "./types.js";
export type { ValidationResult } from "./validate.js";
export { botDefinitionSchema, formatPath, validateBotDefinition } from "./validate.js";
