/**
 * Typos in Chinese enum phrases: a wrong character picked from the input method's list
 * ("蓝球鞋" for 篮球鞋, "跑部鞋" for 跑步鞋). Chinese compounds put the kind of thing last
 * (鞋, 靴), so a phrase of three or more characters matches a span of the same length that
 * ends in the same character and differs in one other character (or two swapped
 * neighbours). "篮球服" (a jersey) and "球鞋" (any sneaker) never match, nor does a span the
 * bot's definition itself contains, nor one as near a phrase of another value ("慢步鞋":
 * 跑步鞋 or 徒步鞋?).
 */
import { isHan } from "./text.js";

export interface HanTypoMatch {
  start: number;
  end: number;
  value: string;
}

/** Phrases shorter than this must match exactly: two-character words are too close to each other. */
const MIN_LENGTH = 3;

/**
 * Built once per enum entity. `known(text)` says whether the definition uses `text` itself
 * (then it is a word of its own, not a typo).
 * @example
 * const find = compileHanTypos([{ phrase: "篮球鞋", value: "basketball" }], () => false);
 * find?.("蓝球鞋有43码吗") // → [{ start: 0, end: 3, value: "basketball" }]
 */
export function compileHanTypos(
  phrases: readonly { phrase: string; value: string }[],
  known: (text: string) => boolean,
): ((lower: string) => HanTypoMatch[]) | null {
  const byHead = new Map<string, { phrase: string; value: string }[]>();
  for (const entry of phrases) {
    if (entry.phrase.length < MIN_LENGTH || !Array.from(entry.phrase).every(isHan) || Array.from(entry.phrase).length !== entry.phrase.length) continue;
    const head = entry.phrase.at(-1) ?? "";
    byHead.set(head, [...(byHead.get(head) ?? []), entry]);
  }
  if (byHead.size === 0) return null;
  return (lower) => {
    const found: HanTypoMatch[] = [];
    for (let i = MIN_LENGTH - 1; i < lower.length; i++) {
      const candidates = byHead.get(lower[i] ?? "");
      if (candidates === undefined) continue;
      const values = new Map<number, Set<string>>();
      for (const { phrase, value } of candidates) {
        const start = i + 1 - phrase.length;
        if (start < 0) continue;
        const window = lower.slice(start, i + 1);
        if (window !== phrase && oneTypoApart(window, phrase)) values.set(start, (values.get(start) ?? new Set()).add(value));
      }
      for (const [start, set] of values) {
        const [value] = set;
        if (set.size === 1 && value !== undefined && !known(lower.slice(start, i + 1))) found.push({ start, end: i + 1, value });
      }
    }
    return found;
  };
}

/** Same length, all Han, one character different or two neighbours swapped. */
function oneTypoApart(window: string, phrase: string): boolean {
  let first = -1;
  let diffs = 0;
  for (let i = 0; i < window.length; i++) {
    const char = window[i] ?? "";
    if (!isHan(char)) return false;
    if (char === phrase[i]) continue;
    diffs++;
    if (first === -1) first = i;
  }
  if (diffs === 1) return true;
  return diffs === 2 && window[first] === phrase[first + 1] && window[first + 1] === phrase[first];
}
