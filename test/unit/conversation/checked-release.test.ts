import { describe, expect, it } from "vitest";
import { CheckedRelease, settledLength } from "../../../src/conversation/checked-release.js";

const foreignLink = (text: string) => (/evil\.example(?![a-z.])/.test(text) ? "link_not_allowed" : null);

function stream(pieces: readonly string[], everyChars = 8): { shown: string; problem: string | null } {
  let shown = "";
  const release = new CheckedRelease(foreignLink, (text) => (shown += text), everyChars);
  let soFar = "";
  for (const piece of pieces) {
    soFar += piece;
    const problem = release.offer(soFar);
    if (problem) return { shown, problem };
  }
  release.finish(soFar);
  return { shown, problem: null };
}

describe("settledLength", () => {
  it("holds back a trailing run that may be half a link, and nothing in Chinese text", () => {
    expect(settledLength("Send them to evil.exa")).toBe("Send them to ".length);
    expect(settledLength("Returns are free. ")).toBe("Returns are free. ".length);
    expect(settledLength("退货免费，三十天内")).toBe("退货免费，三十天内".length);
  });
});

describe("CheckedRelease", () => {
  it("never shows a foreign link, even when it arrives a few characters at a time", () => {
    const { shown, problem } = stream(["Send ", "them ", "to https://ev", "il.exa", "mple/win ", "today"]);
    expect(problem).toBe("link_not_allowed");
    expect(shown).not.toContain("evil");
    expect("Send them to https://evil.example/win today".startsWith(shown)).toBe(true);
  });

  it("shows a clean reply whole, in order, the first piece at once", () => {
    const pieces = ["Returns ", "are ", "free ", "within ", "30 days: ", "see shop.example/returns"];
    let first = "";
    const release = new CheckedRelease(foreignLink, (text) => (first ||= text), 8);
    release.offer(pieces[0] ?? "");
    expect(first).toBe("Returns ");
    expect(stream(pieces)).toEqual({ shown: pieces.join(""), problem: null });
  });
});
