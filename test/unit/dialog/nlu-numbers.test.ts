import { describe, expect, it } from "vitest";
import type { BotDefinition } from "../../../src/dialog/index.js";
import { compileBot, parseUtterance } from "../../../src/dialog/index.js";
import { findEnglishNumbers } from "../../../src/dialog/nlu/number-words.js";
import { converse, initialDialogState, loadBot } from "./harness.js";

const bot = loadBot("shop");
const size = (text: string): unknown => parseUtterance(bot, text).entities.size;

describe("English number words", () => {
  it.each([
    ["forty three", 43],
    ["forty-two", 42],
    ["thirty nine", 39],
    ["seven", 7],
    ["nineteen", 19],
    ["one hundred and five", 105],
    ["two thousand twenty six", 2026],
  ])("%s → %d", (text, value) => {
    expect(findEnglishNumbers(text).map((s) => s.value)).toEqual([value]);
  });

  it("reads ill-formed runs as separate numbers, and never inside a word", () => {
    expect(findEnglishNumbers("three forty").map((s) => s.value)).toEqual([3, 40]);
    expect(findEnglishNumbers("someone often")).toEqual([]);
  });

  it("gives the place of each number", () => {
    expect(findEnglishNumbers("size forty-three please")).toEqual([{ start: 5, end: 16, value: 43 }]);
  });
});

describe("sizes in words and halves (shop: size step 0.5)", () => {
  it.each([
    ["size forty three?", 43],
    ["forty-two", 42],
    ["fourty three", 43],
    ["forty-two and a half", 42.5],
    ["thirty nine and a half", 39.5],
    ["thirty nine point five", 39.5],
    ["42 and a half", 42.5],
    ["42½", 42.5],
    ["42.5", 42.5],
    ["四十三码", 43],
    ["三十九码半", 39.5],
    ["39码半", 39.5],
    ["三十九个半", 39.5],
    ["三十九点五码", 39.5],
  ])("%s → %d", (text, value) => {
    expect(size(text)).toBe(value);
  });

  it("does not read 半价 (half price) as a half size", () => {
    expect(size("42码半价吗")).toBe(42);
  });

  it("rejects values off the step and out of range", () => {
    expect(size("size 42.3")).toBeUndefined();
    expect(size("size fifty five")).toBeUndefined();
    expect(size("that one")).toBeUndefined();
  });

  it("classifies size forty three? like size 43?", () => {
    expect(parseUtterance(bot, "size forty three?").intent).toBe("check_stock");
  });

  it("checks a half size against the catalog", () => {
    const at = Date.UTC(2026, 0, 1);
    expect(converse(initialDialogState(), bot, "running shoes in forty-two and a half?", at).reply.text).toContain("size 42.5 are in stock (5 pairs left)");
    expect(converse(initialDialogState(), bot, "跑鞋41码半有吗", at).reply.text).toContain("41.5 码暂时缺货");
  });
});

describe("a number entity without a step takes whole numbers only", () => {
  const definition: BotDefinition = {
    ...bot.definition,
    version: "whole-sizes",
    entities: { ...bot.definition.entities, size: { type: "number", min: 30, max: 50, units: ["size", "码"] } },
  };
  const whole = compileBot(definition);

  it("reads forty three but not forty-two and a half, 42.5 or 39码半", () => {
    expect(parseUtterance(whole, "size forty three").entities.size).toBe(43);
    expect(parseUtterance(whole, "forty-two and a half").entities).not.toHaveProperty("size");
    expect(parseUtterance(whole, "size 42.5").entities).not.toHaveProperty("size");
    expect(parseUtterance(whole, "39码半").entities).not.toHaveProperty("size");
  });
});
