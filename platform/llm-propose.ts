import type { CompiledBot, DialogState, ParsedCommands, RecentTurn, ValidatedCommands } from "../src/dialog/index.js";
import { commandJsonSchema, detectLanguage, parseCommands, understandingMessages, validateCommands } from "../src/dialog/index.js";
import type { Env } from "./env.js";
import type { LlmCallResult } from "./llm-runtime.js";
import { llmCallBase, llmRuntimeOf } from "./llm-runtime.js";

/** A proposal of commands is short JSON: this many tokens at most. */
const COMMAND_MAX_TOKENS = 400;

/** What a model proposed for one message, and what validation kept of it. */
export interface Proposal {
  call: LlmCallResult;
  parsed: ParsedCommands;
  validated: ValidatedCommands;
}

/**
 * Asks the bot version's model for commands for `text` (the bot's flows and slots in a JSON
 * schema it must follow) and validates them against `dialog` by the rules a typed message meets.
 * Null when the bot has no `llm` section or its connection is not configured. Used by a turn
 * whose rules were unsure, and by the admin parse route to show the same.
 */
export async function proposeCommands(env: Env, bot: CompiledBot, text: string, dialog: DialogState, recent: readonly RecentTurn[]): Promise<Proposal | null> {
  const settings = bot.definition.llm;
  const runtime = settings ? llmRuntimeOf(env, settings.provider) : null;
  if (!settings || !runtime) return null;
  const lang = detectLanguage(text) ?? bot.definition.defaultLanguage;
  const call = await runtime.call({
    ...llmCallBase(bot.id, settings),
    use: "understand",
    messages: understandingMessages(bot, recent, text, lang, dialog),
    jsonSchema: commandJsonSchema(bot),
    maxTokens: COMMAND_MAX_TOKENS,
  });
  const parsed = call.ok ? parseCommands(call.text) : { commands: [], error: `the model was not heard: ${call.failure}` };
  return { call, parsed, validated: validateCommands(parsed.commands, bot, dialog) };
}
