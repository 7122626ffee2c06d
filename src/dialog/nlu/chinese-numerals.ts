/**
 * Chinese numerals → numbers: "三十九" → 39, "十" → 10, "二十一" → 21, "两" → 2,
 * "一百零五" → 105, and digit-by-digit readings without units ("三九" → 39).
 */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

export const CHINESE_NUMERAL_RUN = /[零〇一二两三四五六七八九十百千万]+/gu;

/** The value of a run of numeral characters, or null when it is not a well-formed number. */
export function parseChineseNumeral(run: string): number | null {
  if (run.length === 0) return null;
  if (!/[十百千万]/.test(run)) return parseDigitSequence(run);
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const char of run) {
    const d = DIGITS[char];
    const unit = UNITS[char];
    if (d !== undefined) {
      digit = d;
    } else if (unit !== undefined) {
      // A bare unit counts one of it: "十" = 10, "十五" = 15.
      section += (digit ?? 1) * unit;
      digit = null;
    } else if (char === "万") {
      total += (section + (digit ?? 0)) * 10000;
      section = 0;
      digit = null;
    } else {
      return null;
    }
  }
  return total + section + (digit ?? 0);
}

function parseDigitSequence(run: string): number | null {
  let value = 0;
  for (const char of run) {
    const d = DIGITS[char];
    if (d === undefined) return null;
    value = value * 10 + d;
  }
  return value;
}

export interface NumeralSpan {
  start: number;
  end: number;
  value: number;
}

/** Every numeral run in `text` with its value. */
export function findChineseNumerals(text: string): NumeralSpan[] {
  const spans: NumeralSpan[] = [];
  for (const match of text.matchAll(CHINESE_NUMERAL_RUN)) {
    const value = parseChineseNumeral(match[0]);
    if (value !== null) spans.push({ start: match.index, end: match.index + match[0].length, value });
  }
  return spans;
}
