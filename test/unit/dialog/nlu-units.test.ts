import { describe, expect, it } from "vitest";
import { detectLanguage, findChineseNumerals, parseChineseNumeral, parseUtterance, renderTemplate } from "../../../src/dialog/index.js";
import { loadBot } from "./harness.js";

const bot = loadBot("shop");

describe("Chinese numerals", () => {
  it.each([
    ["十", 10],
    ["十五", 15],
    ["二十", 20],
    ["二十一", 21],
    ["三十九", 39],
    ["四十二", 42],
    ["两", 2],
    ["一百零五", 105],
    ["三九", 39],
    ["四二", 42],
    ["零", 0],
    ["一万两千", 12000],
    ["两千零二十六", 2026],
  ])("%s → %d", (text, value) => {
    expect(parseChineseNumeral(text)).toBe(value);
  });

  it("finds numeral runs inside a sentence", () => {
    expect(findChineseNumerals("那款鞋还有三十九码吗")).toEqual([{ start: 5, end: 8, value: 39 }]);
  });
});

describe("entity extraction", () => {
  const entities = (text: string): Record<string, string | number> => parseUtterance(bot, text).entities;

  it.each([
    ["三十九码", { size: 39 }],
    ["39码", { size: 39 }],
    ["size 42 please", { size: 42 }],
    ["ＥＵ ４１", { size: 41 }],
    ["有没有四十码的跑步鞋", { size: 40, product: "running" }],
    ["I want running shoes size 42", { product: "running", size: 42 }],
    ["any hiking boots?", { product: "hiking" }],
    ["徒步鞋", { product: "hiking" }],
    ["order ab123456 please", { order_id: "AB123456" }],
    ["my number is 13812345678", { phone: "13812345678" }],
    ["I need 2 pairs", {}],
    ["size 60", {}],
  ])("%s → %o", (text, expected) => {
    expect(entities(text)).toMatchObject(expected);
  });

  it("does not read digits of an order id or a phone number as a size", () => {
    expect(entities("AB123456")).not.toHaveProperty("size");
    expect(entities("13912345678")).not.toHaveProperty("size");
  });

  it("prefers the number with a size unit", () => {
    expect(entities("2双42码")).toMatchObject({ size: 42 });
    expect(entities("I'm 35 years old and wear size 44")).toMatchObject({ size: 44 });
  });

  it("matches English synonyms on word boundaries only", () => {
    expect(entities("this fits")).not.toHaveProperty("product");
  });

  it("resolves references against the state's slots", () => {
    const state = { slots: { product: { value: "canvas", at: 0, session: 1 } }, flows: [], session: { id: 1, startedAt: 0, lastAt: 0 }, memory: {} };
    expect(parseUtterance(bot, "那款还有39码吗", state).entities).toEqual({ product: "canvas", size: 39 });
    expect(parseUtterance(bot, "is that one in 40?", state).entities).toEqual({ product: "canvas", size: 40 });
  });
});

describe("parseUtterance", () => {
  it("returns a confidence in [0, 1] and up to three alternatives", () => {
    const parsed = parseUtterance(bot, "where is my order AB123456");
    expect(parsed.intent).toBe("order_status");
    expect(parsed.confidence).toBeGreaterThan(0.4);
    expect(parsed.confidence).toBeLessThanOrEqual(1);
    expect(parsed.alternatives.length).toBeLessThanOrEqual(3);
  });

  it("gives null below the threshold", () => {
    expect(parseUtterance(bot, "qwerty uiop").intent).toBeNull();
  });
});

describe("language and templates", () => {
  it("detects zh vs en per utterance", () => {
    expect(detectLanguage("那款鞋")).toBe("zh");
    expect(detectLanguage("that one")).toBe("en");
    expect(detectLanguage("39")).toBeNull();
  });

  it("renders in one pass: values are never re-expanded", () => {
    const values: Record<string, string> = { a: "{{b}}", b: "secret" };
    expect(renderTemplate("x {{a}} y {{ b }}", (n) => values[n])).toBe("x {{b}} y secret");
    expect(renderTemplate("{{missing}}!", () => undefined)).toBe("!");
  });
});
