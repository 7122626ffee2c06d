/**
 * The dialog engine: bot definitions (schema, validation, compilation), the NLU, and the
 * pure `step(state, input, bot) → { events, reply, action? }` with its event reducer.
 * Nothing here does I/O; actions are run by the caller (see {@link builtinActions}).
 */
export type * from "./types.js";
export type * from "./events.js";
export { botDefinitionSchema, validateBotDefinition, formatPath } from "./validate.js";
export type { ValidationResult } from "./validate.js";
export type { BotDefinition, LocalizedText, EntityDef, SlotDef, FlowDef, FlowStep, Condition } from "./schema.js";
export { compileBot, slotIsSensitive, durationMs } from "./compile.js";
export type { CompiledBot } from "./compile.js";
export { initialDialogState, applyDialogEvent, activeFlow } from "./reducer.js";
export { step } from "./engine/step.js";
export type { StepResult } from "./engine/turn.js";
export { parseUtterance } from "./parse.js";
export type { ParseResult } from "./parse.js";
export { renderTemplate, localize, maskValue } from "./template.js";
export { builtinActions } from "./actions/index.js";
export type { BuiltinAction } from "./actions/index.js";
export { parseChineseNumeral, findChineseNumerals } from "./nlu/chinese-numerals.js";
export { detectLanguage } from "./nlu/text.js";
