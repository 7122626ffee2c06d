/**
 * Mainland China mobile numbers as people type and say them. What counts:
 * - 11 digits starting 13–19 (`13987650123`), with a space, dash or dot between any two
 *   digits (`139 8765 0123`, `139-8765-0123`, `1 3 9 8…`);
 * - optionally after the country code: `+86`, `0086`, `86`, `(+86)`, with or without a
 *   separator (`+86 139 8765 0123`, `+8613987650123`, `0086-139…`);
 * - the same 11 digits in Chinese digit characters, as speech recognition writes them
 *   (`一三九八七六五零一二三`, `幺` for one, `两` for two).
 * Full-width digits and `＋` are folded by NFKC before this runs. A number with more digits
 * right next to it (`139876501234`) is not a mobile number. Landlines and foreign numbers
 * are not recognised.
 */

export interface PhoneMatch {
  start: number;
  end: number;
  /** the 11-digit national number, without prefix or separators */
  value: string;
}

const GAP = String.raw`(?:[ \t\u00a0]{0,2}[-.\u2010-\u2014][ \t\u00a0]{0,2}|[ \t\u00a0]{1,2})?`;
const PREFIX = String.raw`(?:(?:\+|00)[ \t]?86|\([ \t]?\+?86[ \t]?\)|86)${GAP}`;
const ARABIC = new RegExp(String.raw`(?<!\d)(?:${PREFIX})?1${GAP}[3-9](?:${GAP}\d){9}(?!\d)`, "g");

const CHINESE_DIGIT: Readonly<Record<string, string>> = {
  零: "0",
  〇: "0",
  一: "1",
  幺: "1",
  二: "2",
  两: "2",
  三: "3",
  四: "4",
  五: "5",
  六: "6",
  七: "7",
  八: "8",
  九: "9",
};
const HAN_DIGIT = "[零〇一幺二两三四五六七八九]";
// "十", "百" next to the run mean it is a quantity ("一三九八七六五零一二三十"), not digits read out.
const CHINESE = new RegExp(
  String.raw`(?<![零〇一幺二两三四五六七八九十百千万])[一幺]${GAP}[三四五六七八九](?:${GAP}${HAN_DIGIT}){9}(?![零〇一幺二两三四五六七八九十百千万])`,
  "gu",
);

/** Every mobile number in `text` (already NFKC-normalised), in order. */
export function findPhones(text: string): PhoneMatch[] {
  const found: PhoneMatch[] = [];
  for (const pattern of [ARABIC, CHINESE]) {
    for (const match of text.matchAll(pattern)) {
      const digits = [...match[0]]
        .map((char) => CHINESE_DIGIT[char] ?? char)
        .join("")
        .replace(/\D/g, "");
      found.push({ start: match.index, end: match.index + match[0].length, value: digits.slice(-11) });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
