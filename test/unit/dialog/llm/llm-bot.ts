import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CompiledBot, DialogInput, DialogState, StepResult } from "../../../../src/dialog/index.js";
import { applyDialogEvent, compileBot, initialDialogState, step, validateBotDefinition } from "../../../../src/dialog/index.js";
import { repoRoot } from "../harness.js";

/** The bundled shop bot, with an `llm` section (merged over these settings) and optional changes to the definition. */
export function shopWithLlm(llm: Record<string, unknown> = {}, change: (def: Record<string, unknown>) => void = () => {}): CompiledBot {
  const def = JSON.parse(readFileSync(join(repoRoot, "bots/shop.json"), "utf8")) as Record<string, unknown>;
  def.llm = { model: "test-model", prompts: { system: { en: "You are the shoe shop's friendly assistant.", zh: "你是鞋店的助手。" } }, ...llm };
  change(def);
  const validated = validateBotDefinition(def);
  if (!validated.ok) throw new Error(`${validated.path}: ${validated.message}`);
  return compileBot(validated.bot);
}

/** Runs one input and folds its events. */
export function run(state: DialogState, input: DialogInput, bot: CompiledBot): { result: StepResult; state: DialogState } {
  const result = step(state, input, bot);
  return { result, state: result.events.reduce(applyDialogEvent, state) };
}

/** The state after the user typed these messages (no action results needed). */
export function stateAfter(bot: CompiledBot, texts: readonly string[], at = 1_000): DialogState {
  let state = initialDialogState();
  texts.forEach((text, i) => {
    state = run(state, { kind: "text", text, at: at + i }, bot).state;
  });
  return state;
}
