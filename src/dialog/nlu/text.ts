/** Text helpers shared by the NLU: normalisation, script tests, phrase search. */

export type Lang = "en" | "zh";

const HAN = /\p{Script=Han}/u;
const LATIN_LETTER = /[a-z]/i;

/**
 * NFKC folds full-width digits and letters ("３９码", "ＡＢ") to ASCII, which Chinese
 * input methods produce all the time; lower-casing is for matching only.
 */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** Code-point ranges instead of `\p{Script=Han}` per character: this runs for every character of every message. */
export function isHan(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x20000 && code <= 0x2ebef) || (code >= 0xf900 && code <= 0xfaff);
}

/** Any Han character makes an utterance Chinese; no letters at all means "can't tell". */
export function detectLanguage(text: string): Lang | null {
  if (HAN.test(text)) return "zh";
  return LATIN_LETTER.test(text) ? "en" : null;
}

function isWordChar(char: string | undefined): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

/**
 * Every occurrence of `phrase` in `text` (both normalised). A phrase that starts or ends
 * with a Latin letter or digit must sit on a word boundary there ("it" is not in "fit");
 * Chinese has no word boundaries, so Han phrases match anywhere.
 */
export function findPhrase(text: string, phrase: string): number[] {
  const found: number[] = [];
  const checkStart = isWordChar(phrase[0]);
  const checkEnd = isWordChar(phrase[phrase.length - 1]);
  for (let at = text.indexOf(phrase); at !== -1; at = text.indexOf(phrase, at + 1)) {
    if (checkStart && isWordChar(text[at - 1])) continue;
    if (checkEnd && isWordChar(text[at + phrase.length])) continue;
    found.push(at);
  }
  return found;
}
