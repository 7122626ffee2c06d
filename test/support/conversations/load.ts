import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompiledBot } from "../../../src/dialog/index.js";
import { compileBot, validateBotDefinition } from "../../../src/dialog/index.js";
import type { TurnVerdict } from "./evaluate.js";
import { evaluateConversation } from "./evaluate.js";
import type { Conversation, Split } from "./schema.js";
import { parseConversationFile, splits } from "./schema.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const conversationsDir = join(repoRoot, "test/fixtures/conversations");

export interface ConversationFile {
  split: Split;
  name: string;
  conversations: Conversation[];
}

/** Every fixture file of both splits, validated (a malformed file throws, naming itself). */
export function loadConversationFiles(): ConversationFile[] {
  return splits.flatMap((split) =>
    readdirSync(join(conversationsDir, split))
      .filter((file) => file.endsWith(".json"))
      .sort()
      .map((file) => {
        const name = `${split}/${file}`;
        return { split, name, conversations: parseConversationFile(name, JSON.parse(readFileSync(join(conversationsDir, name), "utf8")) as unknown) };
      }),
  );
}

/** The example bot, validated and compiled as publishing does. */
export function loadShopBot(): CompiledBot {
  const validated = validateBotDefinition(JSON.parse(readFileSync(join(repoRoot, "bots/shop.json"), "utf8")) as unknown);
  if (!validated.ok) throw new Error(`bots/shop.json: ${validated.path}: ${validated.message}`);
  return compileBot(validated.bot);
}

/** Runs every conversation of the given split(s) and answers one verdict per turn. */
export async function evaluateSplits(wanted: readonly Split[], bot: CompiledBot = loadShopBot()): Promise<TurnVerdict[]> {
  const verdicts: TurnVerdict[] = [];
  for (const file of loadConversationFiles().filter((f) => wanted.includes(f.split))) {
    for (const conversation of file.conversations) verdicts.push(...(await evaluateConversation(conversation, file.split, bot)));
  }
  return verdicts;
}
