import { describe, expect, it } from "vitest";
import { STRINGS, resolveLocale } from "../../../widget/core/strings.js";

describe("UI strings", () => {
  it("an explicit locale wins, then the browser's languages, then English", () => {
    expect(resolveLocale("zh", ["en-US"])).toBe("zh");
    expect(resolveLocale("en", ["zh-CN"])).toBe("en");
    expect(resolveLocale(undefined, ["fr-FR", "zh-Hans-CN"])).toBe("zh");
    expect(resolveLocale("de", ["fr"])).toBe("en");
  });

  it("names the launcher as the browser tests look for it", () => {
    expect(STRINGS.en.openChat).toBe("Open chat");
    expect(STRINGS.zh.openChat).toBe("打开聊天");
  });

  it("has every English string in Chinese too", () => {
    const keys = (value: object): string[] =>
      Object.entries(value).flatMap(([key, inner]) => (typeof inner === "object" ? keys(inner as object).map((k) => `${key}.${k}`) : [key]));
    expect(keys(STRINGS.zh)).toEqual(keys(STRINGS.en));
  });
});
