import { describe, expect, it } from "vitest";
import type { BotDefinition } from "../../../src/dialog/index.js";
import { compileBot, parseUtterance } from "../../../src/dialog/index.js";
import { compileSpeller, damerauLevenshtein } from "../../../src/dialog/nlu/typos.js";
import { converse, initialDialogState, loadBot } from "./harness.js";

const bot = loadBot("shop");
const shopWords = ["running", "shoes", "shoe", "stock", "size", "basketball", "hiking", "order", "shop", "socks", "the", "in", "sz"];

describe("Damerau-Levenshtein distance", () => {
  it.each([
    ["stok", "stock", 1],
    ["stcok", "stock", 1],
    ["runing", "running", 1],
    ["shoes", "socks", 3],
    ["basktbal", "basketball", 2],
    ["same", "same", 0],
  ])("%s ↔ %s = %d", (a, b, distance) => {
    expect(damerauLevenshtein(a, b)).toBe(distance);
  });

  it("stops at the limit", () => {
    expect(damerauLevenshtein("shoes", "socks", 1)).toBe(2);
  });
});

describe("the speller", () => {
  const speller = compileSpeller(shopWords);

  it.each([
    ["runing", "running"],
    ["stok", "stock"],
    ["shoos", "shoes"],
    ["szie", "size"],
    ["basketbal", "basketball"],
    ["basktbal", "basketball"],
    ["hikign", "hiking"],
  ])("corrects %s → %s", (typo, word) => {
    expect(speller.correctWord(typo)).toBe(word);
  });

  it("never corrects a word it knows: shoes stays shoes, socks stays socks", () => {
    expect(speller.correctWord("shoes")).toBeNull();
    expect(speller.correctWord("socks")).toBeNull();
    expect(speller.correct("do you sell socks or shoes?").text).toBe("do you sell socks or shoes?");
  });

  it("counts a singular or plural of a known word as known (sock is not a typo of stock)", () => {
    expect(speller.correctWord("sock")).toBeNull();
  });

  it("needs an exact match for words of three letters or fewer", () => {
    expect(speller.correctWord("sze")).toBeNull();
    expect(speller.correctWord("teh")).toBeNull();
    expect(speller.correct("sz 38 in stok").text).toBe("sz 38 in stock");
  });

  it("allows one edit up to seven letters and two from eight", () => {
    expect(speller.correctWord("rnuing")).toBeNull(); // 6 letters, 2 edits from running
    expect(speller.correctWord("basktbal")).toBe("basketball"); // 8 letters, 2 edits
    expect(speller.correctWord("bsktbal")).toBeNull(); // 7 letters, 3 edits
  });

  it("leaves an ambiguous typo alone: boxts is one edit from both boots and boats", () => {
    expect(compileSpeller(["boots", "boats"]).correctWord("boxts")).toBeNull();
    expect(compileSpeller(["boots"]).correctWord("boxts")).toBe("boots");
  });

  it("keeps real words that are one edit from a bot word: common words, inflections, a changed first letter", () => {
    const yesNo = compileSpeller(["nope", "sure", "change", "every", "place", "shop", "stock"]);
    expect(yesNo.correct("i hope so, a chance of very sore feet").text).toBe("i hope so, a chance of very sore feet");
    expect(yesNo.correctWord("placed")).toBeNull();
    expect(yesNo.correctWord("hope")).toBeNull(); // first letter changed
    expect(yesNo.correctWord("surd")).toBeNull(); // four letters: only a missing letter or a swap
    expect(yesNo.correctWord("usre")).toBe("sure");
  });

  it("leaves letters glued to digits alone (codes, not words)", () => {
    expect(speller.correct("stok123 ab123456").text).toBe("stok123 ab123456");
  });

  it("reports each edit at its place in both texts", () => {
    const correction = speller.correct("runing shoes in stok");
    expect(correction.text).toBe("running shoes in stock");
    expect(correction.edits).toEqual([
      { start: 0, end: 6, at: 0, from: "runing", to: "running" },
      { start: 16, end: 20, at: 17, from: "stok", to: "stock" },
    ]);
  });
});

describe("typos in the example bot", () => {
  it("reads runing shoes sz 38 in stok? as a stock question for running shoes in 38", () => {
    const parsed = parseUtterance(bot, "runing shoes sz 38 in stok?");
    expect(parsed.intent).toBe("check_stock");
    expect(parsed.entities).toEqual({ product: "running", size: 38 });
  });

  it.each([
    ["is the basketbal shoe in stock", "basketball"],
    ["any hikign boots?", "hiking"],
    ["canvs shoes", "canvas"],
  ])("%s → product %s", (text, product) => {
    expect(parseUtterance(bot, text).entities.product).toBe(product);
  });

  it("keeps spans in the text as typed", () => {
    expect(bot.nlu.understand("runing shoes please").spans).toEqual([{ entity: "product", value: "running", start: 0, end: 12, kind: "enum" }]);
  });

  it("never changes an address or an order number, and does not report words inside them", () => {
    const understood = bot.nlu.understand("my new address is 100 Shoos Road, Oakland");
    expect(understood.entities.address).toBe("100 Shoos Road, Oakland");
    expect(understood.entities).not.toHaveProperty("product");
    expect(understood.corrections).toEqual([]);
    expect(parseUtterance(bot, "ordr ab123456").entities).toEqual({ order_id: "AB123456" });
  });

  it("answers the stock question end to end", () => {
    const out = converse(initialDialogState(), bot, "runing shoes sz 38 in stok?", Date.UTC(2026, 0, 1));
    expect(out.reply.text).toContain("size 38 are in stock");
  });

  it("can be switched off per bot (nlu.typoTolerance: false)", () => {
    const definition: BotDefinition = { ...bot.definition, version: "typos-off", nlu: { ...bot.definition.nlu, typoTolerance: false } };
    const strict = compileBot(definition);
    expect(parseUtterance(strict, "runing shoes").entities).not.toHaveProperty("product");
    expect(parseUtterance(bot, "runing shoes").entities).toMatchObject({ product: "running" });
  });
});

describe("Chinese typos in enum phrases", () => {
  const product = (text: string): unknown => parseUtterance(bot, text).entities.product;

  it.each([
    ["蓝球鞋有43码吗", "basketball"],
    ["跑部鞋40码有吗", "running"],
    ["等山鞋", "hiking"],
  ])("%s → product %s (one wrong character before the head 鞋)", (text, value) => {
    expect(product(text)).toBe(value);
  });

  it("never changes the head character or matches a shorter word: 篮球服 (a jersey) and 球鞋 (any sneaker) are no product", () => {
    expect(product("篮球服有吗")).toBeUndefined();
    expect(product("球鞋有吗")).toBeUndefined();
  });

  it("leaves a span as near two products alone: 慢步鞋 is one character from 跑步鞋 and from 徒步鞋", () => {
    expect(product("慢步鞋")).toBeUndefined();
  });

  it("never reads a text the definition itself uses as a typo", () => {
    const definition: BotDefinition = {
      ...bot.definition,
      version: "football",
      intents: { ...bot.definition.intents, greet: { examples: [...(bot.definition.intents.greet?.examples ?? []), "手球鞋"] } },
    };
    expect(product("手球鞋有吗")).toBe("basketball"); // handball shoes: one character from 篮球鞋
    expect(parseUtterance(compileBot(definition), "手球鞋有吗").entities).not.toHaveProperty("product");
    expect(product("足球鞋有吗")).toBeUndefined(); // the shop's knowledge base says it does not sell them
  });

  it("answers the stock question end to end", () => {
    expect(converse(initialDialogState(), bot, "蓝球鞋有43码吗", Date.UTC(2026, 0, 1)).reply.text).toContain("43");
  });
});
