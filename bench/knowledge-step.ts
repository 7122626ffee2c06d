/**
 * The dialog `step` microbenchmark with a large knowledge base: the example bot plus 200
 * synthetic knowledge entries (half English, half Chinese) and the shopper's script mixed
 * with knowledge and small-talk questions. Measured, not asserted:
 *   npx tsx bench/knowledge-step.ts
 */
import { readFileSync } from "node:fs";
import type { CompiledBot } from "../src/dialog/index.js";
import { compileBot, validateBotDefinition } from "../src/dialog/index.js";
import { SHOPPER_SCRIPT } from "./shopper.js";
import { reportStepTimes } from "./step-timing.js";

const ENTRIES = 200;
const WORDS = (
  "warranty gift card voucher store pickup locker invoice receipt member points discount coupon student price match " +
  "repair sole lace insole waterproof cleaning leather suede vegan material factory origin brand outlet event marathon " +
  "team order bulk custom print engraving wrapping delivery slot weekend holiday express pickup station damaged missing parcel"
).split(" ");
const HAN =
  "保修礼品卡代金券门店自提发票收据会员积分折扣优惠学生价比价维修鞋底鞋带鞋垫防水清洁皮革麂皮材料工厂产地品牌奥莱活动马拉松团购定制印刷包装周末节假日加急快递站破损丢件";

/** A deterministic pseudo-random sequence: the same 200 entries every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function syntheticEntries(count: number): unknown[] {
  const next = random(42);
  const word = (): string => WORDS[Math.floor(next() * WORDS.length)] ?? "store";
  const han = (n: number): string => Array.from({ length: n }, () => HAN[Math.floor(next() * HAN.length)] ?? "店").join("");
  return Array.from({ length: count }, (_, i) => {
    const zh = i % 2 === 1;
    const questions = zh
      ? [`${han(2)}${han(2)}怎么办`, `请问${han(3)}可以吗`, `${han(2)}和${han(2)}有什么区别`]
      : [`how does ${word()} ${word()} work`, `can I get a ${word()} for my ${word()}`, `what about ${word()} ${word()} and ${word()}`];
    return { id: `synthetic_${i}`, questions, keywords: zh ? [han(2)] : [word()], answer: { en: `Answer ${i}.`, zh: `答案 ${i}。` } };
  });
}

function loadBigShop(): CompiledBot {
  const shop = JSON.parse(readFileSync(new URL("../bots/shop.json", import.meta.url), "utf8")) as { knowledge?: { entries?: unknown[] } };
  const entries = [...(shop.knowledge?.entries ?? []), ...syntheticEntries(ENTRIES)];
  const validated = validateBotDefinition({ ...shop, knowledge: { ...shop.knowledge, entries } });
  if (!validated.ok) throw new Error(`${validated.path}: ${validated.message}`);
  return compileBot(validated.bot);
}

const SCRIPT = [
  ...SHOPPER_SCRIPT,
  "when do you close",
  "你们几点关门",
  "do you sell socks?",
  "how are you today?",
  "你是机器人吗",
  "can I get a voucher for my team",
];

const compileStart = performance.now();
const bot = loadBigShop();
console.log(`compileBot with ${bot.definition.knowledge.entries.length} knowledge entries: ${(performance.now() - compileStart).toFixed(1)} ms`);
reportStepTimes(bot, SCRIPT, () => 8_000);
