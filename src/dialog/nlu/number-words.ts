/**
 * English number words → numbers ("forty three", "forty-two", "one hundred and five",
 * "thirty nine point five"), and the half that may follow any number: "forty-two and a
 * half", "42½", "39码半", "三十九个半". Decimals in Chinese ("三十九点五") are read here too.
 */
import type { NumeralSpan } from "./chinese-numerals.js";
import { parseChineseNumeral } from "./chinese-numerals.js";

const SMALL: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Readonly<Record<string, number>> = { hundred: 100, thousand: 1000 };

/** Every number word, for the speller's vocabulary ("fourty" → forty). */
export const NUMBER_WORDS: readonly string[] = [...Object.keys(SMALL), ...Object.keys(TENS), ...Object.keys(SCALES), "half", "point"];

/** A word with its place; `gap` is what separates it from the word before. */
interface Token {
  word: string;
  start: number;
  end: number;
  gap: string;
}

const WORD = /[a-z]+/g;
/** Words of one number are separated by spaces or a hyphen; "and" may join them ("one hundred and five"). */
const JOINER = /^[\s-]+$/;

/** Every English number in a normalised (lower-cased) text, with its value. */
export function findEnglishNumbers(lower: string): NumeralSpan[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of lower.matchAll(WORD)) {
    tokens.push({ word: match[0], start: match.index, end: match.index + match[0].length, gap: lower.slice(last, match.index) });
    last = match.index + match[0].length;
  }
  const spans: NumeralSpan[] = [];
  for (let i = 0; i < tokens.length; ) {
    const read = readNumber(tokens, i);
    if (read === null) {
      i++;
      continue;
    }
    spans.push(read.span);
    i = read.next;
  }
  return spans;
}

type Kind = "none" | "unit" | "teen" | "tens" | "scale";

/** The longest well-formed number starting at token `from`: "forty three" yes, "three forty" is two numbers. */
function readNumber(tokens: readonly Token[], from: number): { span: NumeralSpan; next: number } | null {
  let total = 0;
  let current = 0;
  let kind: Kind = "none";
  let end = from;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (i > from && !JOINER.test(token.gap)) break;
    // "and" inside a number only after a scale: "one hundred and five".
    if (token.word === "and" && kind === "scale") continue;
    const next = advance(token.word, kind, current);
    if (next === null) break;
    if (next.kind === "scale" && token.word === "thousand") {
      total += next.current;
      current = 0;
    } else {
      current = next.current;
    }
    kind = next.kind;
    end = i + 1;
  }
  if (end === from) return null;
  const first = tokens[from] as Token;
  const lastToken = tokens[end - 1] as Token;
  return { span: { start: first.start, end: lastToken.end, value: total + current }, next: end };
}

/** One word more of a number, or null when it cannot continue it. */
function advance(word: string, kind: Kind, current: number): { kind: Kind; current: number } | null {
  const small = SMALL[word];
  if (small !== undefined) {
    if (small < 10 && (kind === "none" || kind === "scale" || (kind === "tens" && small > 0))) return { kind: "unit", current: current + small };
    if (small >= 10 && (kind === "none" || kind === "scale")) return { kind: "teen", current: current + small };
    return null;
  }
  const tens = TENS[word];
  if (tens !== undefined) return kind === "none" || kind === "scale" ? { kind: "tens", current: current + tens } : null;
  const scale = SCALES[word];
  if (scale !== undefined && kind !== "none" && kind !== "scale") {
    if (scale === 100) return current % 100 < 20 && current < 100 ? { kind: "scale", current: current * 100 } : null;
    return { kind: "scale", current: current * 1000 };
  }
  return null;
}

/** "and a half", "½" (NFKC: "1⁄2"), "1/2", or a Chinese 半 after an optional unit or 个; not 半价/半年/半天… */
function halfPattern(hanUnits: readonly string[]): RegExp {
  const units = [...hanUnits, "个"].map(escapeRegExp).join("|");
  return new RegExp(`(?:\\s*(?:and\\s+a\\s+half|and\\s+half|&\\s*a\\s+half|1[⁄/]2)(?![a-z0-9])|(?:${units})?半(?![价年天个小月折钟]))`, "y");
}

const ENGLISH_DECIMAL = /\s+point\s+((?:(?:zero|one|two|three|four|five|six|seven|eight|nine|\d)\b\s*)+)/y;
const CHINESE_DECIMAL = /点([零〇一二两三四五六七八九\d]+)/y;

export interface NumberSuffixes {
  /** The number extended by a fraction written after it, or the span itself. */
  extend(lower: string, span: NumeralSpan): NumeralSpan;
}

/** Built once per number entity: its Han units may stand between a number and its 半 ("39码半"). */
export function compileNumberSuffixes(units: readonly string[]): NumberSuffixes {
  const half = halfPattern(units.filter((unit) => /^\p{Script=Han}+$/u.test(unit)));
  return {
    extend(lower, span) {
      const decimal = readDecimal(lower, span.end);
      const base = decimal ? { ...span, end: decimal.end, value: span.value + decimal.value } : span;
      if (decimal) return base;
      half.lastIndex = base.end;
      const match = half.exec(lower);
      return match ? { ...base, end: base.end + match[0].length, value: base.value + 0.5 } : base;
    },
  };
}

function readDecimal(lower: string, at: number): { end: number; value: number } | null {
  for (const pattern of [ENGLISH_DECIMAL, CHINESE_DECIMAL]) {
    pattern.lastIndex = at;
    const match = pattern.exec(lower);
    const digits = match?.[1];
    if (!match || digits === undefined) continue;
    const value = fraction(digits);
    if (value !== null) return { end: at + match[0].trimEnd().length, value };
  }
  return null;
}

/** "five" → 0.5, "2 5" → 0.25, "五" → 0.5. */
function fraction(digits: string): number | null {
  const words = digits.trim().split(/\s+/);
  const values = words.length > 1 || /^[a-z]+$/.test(words[0] ?? "") ? words.map((w) => SMALL[w] ?? Number(w)) : Array.from(digits, digitOf);
  if (values.some((v) => v === null || v === undefined || !Number.isInteger(v) || v < 0 || v > 9)) return null;
  return Number(`0.${values.join("")}`);
}

function digitOf(char: string): number | null {
  return /\d/.test(char) ? Number(char) : parseChineseNumeral(char);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
