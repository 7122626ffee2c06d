import { readFileSync } from "node:fs";
import type { CompiledBot } from "../src/dialog/index.js";
import { compileBot, validateBotDefinition } from "../src/dialog/index.js";

/** A shopper's conversation with the example bot, both languages: what the microbenchmarks replay. */
export const SHOPPER_SCRIPT = [
  "hi",
  "do you have running shoes in size 42?",
  "is size 40 available?",
  "that one",
  "你好",
  "那款鞋还有三十九码吗",
  "我想改地址",
  "帆布鞋有38码吗",
  "13812345678",
  "上海市浦东新区世纪大道100号",
  "where is my order?",
  "AB123456",
  "I want to enter the lottery",
  "yes",
  "thanks",
  "what's the weather like",
  "转人工",
  "bye",
];

/** The example bot (bots/shop.json), validated and compiled as publishing does. */
export function loadShop(): CompiledBot {
  const validated = validateBotDefinition(JSON.parse(readFileSync(new URL("../bots/shop.json", import.meta.url), "utf8")) as unknown);
  if (!validated.ok) throw new Error(`${validated.path}: ${validated.message}`);
  return compileBot(validated.bot);
}
