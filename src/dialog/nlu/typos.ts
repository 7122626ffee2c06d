/**
 * Typo correction against the bot's own vocabulary ("runing" → running, "stok" → stock,
 * "shoos" → shoes). Bounded so that it never turns one known word into another: a word the
 * bot knows (or whose stem it knows) stays as typed, words of three letters or fewer must
 * match exactly, and a word is corrected only to the single nearest vocabulary word within
 * Damerau-Levenshtein distance 1 (4–7 letters) or 2 (8 or more). A tie changes nothing.
 * A plural, singular, -ed, -ing or -ly form of a known word counts as known ("sock" when the
 * bot knows "socks"), and so does a common English word ({@link COMMON_WORDS}). Two rules
 * from how people mistype keep real words apart: the first letter is kept (or swapped with
 * the second), and a four-letter word is only missing a letter or has two swapped ("stok"
 * → stock, "szie" → size), so "hope" never becomes "nope" nor "sore" "sure".
 *
 * Lookups use a symmetric-delete index (SymSpell): every vocabulary word is stored under
 * the strings left after deleting up to two of its letters, so a query only generates its
 * own deletions and checks the few words that share one, instead of scanning the vocabulary.
 */
import { COMMON_WORDS } from "./common-words.js";

/** One replaced word: `from` at [start, end) of the original text, `to` at [at, at + to.length) of the corrected one. */
export interface TypoEdit {
  start: number;
  end: number;
  at: number;
  from: string;
  to: string;
}

/** A corrected text and the edits that made it; no edits means `text` is the input itself. */
export interface Correction {
  text: string;
  edits: readonly TypoEdit[];
}

export interface Speller {
  /** The vocabulary word `word` was meant to be, or null when it is known, too short, too far or ambiguous. */
  correctWord(word: string): string | null;
  /** Every correctable word of a normalised (lower-cased) text replaced. */
  correct(lower: string): Correction;
}

/** Shorter words must match exactly: too many real words are one letter apart. */
const MIN_LENGTH = 4;
/** From this length on, two edits are allowed. */
const LONG_WORD = 8;
const WORD = /[a-z]+/g;

function maxDistance(length: number): number {
  if (length < MIN_LENGTH) return 0;
  return length >= LONG_WORD ? 2 : 1;
}

/**
 * Builds the index once per compiled bot (definitions are immutable).
 * @example
 * const speller = compileSpeller(["running", "shoes", "stock"]);
 * speller.correct("runing shoos in stok?").text // → "running shoes in stock?"
 */
export function compileSpeller(vocabulary: Iterable<string>): Speller {
  const words = new Set<string>();
  for (const word of vocabulary) if (/^[a-z]+$/.test(word)) words.add(word);
  const index = new Map<string, string[]>();
  // A query of length L ≥ 8 may reach words of length L - 2; of length 4–7, words one letter shorter.
  for (const word of words)
    if (word.length >= MIN_LENGTH - 1) for (const variant of deletions(word, word.length >= LONG_WORD - 2 ? 2 : 1)) push(index, variant, word);
  const known = (word: string): boolean => COMMON.has(word) || forms(word).some((form) => words.has(form));
  const correctWord = (word: string): string | null => {
    const limit = maxDistance(word.length);
    if (limit === 0 || known(word)) return null;
    return nearest(word, limit, index);
  };
  return { correctWord, correct: (lower) => correctText(lower, correctWord) };
}

const COMMON: ReadonlySet<string> = new Set(COMMON_WORDS);

/** The word and the words it may be an inflection of: "socks" → sock, "placed" → place, "shipping" → ship. */
function forms(word: string): string[] {
  const out = [word, `${word}s`];
  if (word.endsWith("s")) out.push(word.slice(0, -1));
  if (word.endsWith("es")) out.push(word.slice(0, -2));
  // A short stem doubles its last letter ("run" → running): "runing" is a typo, not a form of run.
  if (word.endsWith("ed")) out.push(word.slice(0, -1), ...(word.length >= 6 ? [word.slice(0, -2)] : []));
  if (word.endsWith("ing")) out.push(`${word.slice(0, -3)}e`, ...(word.length >= 7 ? [word.slice(0, -3)] : []));
  if (word.endsWith("ing") && word.at(-4) === word.at(-5)) out.push(word.slice(0, -4));
  if (word.endsWith("ly")) out.push(word.slice(0, -2));
  return out;
}

/** A slip of the keyboard, not another word: first letter kept (or swapped), four letters only shortened or swapped. */
function plausibleTypo(word: string, candidate: string): boolean {
  const firstKept = candidate[0] === word[0] || (candidate[0] === word[1] && candidate[1] === word[0]);
  if (!firstKept) return false;
  if (word.length !== MIN_LENGTH || candidate.length === MIN_LENGTH + 1) return true;
  return candidate.length === word.length && [...candidate].sort().join("") === [...word].sort().join("");
}

/** The unique vocabulary word at the smallest distance ≤ `limit`, or null. */
function nearest(word: string, limit: number, index: ReadonlyMap<string, readonly string[]>): string | null {
  let best: string | null = null;
  let bestDistance = limit + 1;
  let tie = false;
  const seen = new Set<string>();
  for (const variant of deletions(word, limit)) {
    for (const candidate of index.get(variant) ?? []) {
      if (seen.has(candidate)) continue;
      seen.add(candidate);
      if (!plausibleTypo(word, candidate)) continue;
      const distance = damerauLevenshtein(word, candidate, limit);
      if (distance > limit) continue;
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
        tie = false;
      } else if (distance === bestDistance) {
        tie = true;
      }
    }
  }
  return tie ? null : best;
}

function correctText(lower: string, correctWord: (word: string) => string | null): Correction {
  const edits: TypoEdit[] = [];
  let text = "";
  let cursor = 0;
  for (const match of lower.matchAll(WORD)) {
    const start = match.index;
    const end = start + match[0].length;
    // Letters glued to digits are codes ("ab123456", "h2o"), not words.
    if (match[0].length < MIN_LENGTH || isDigit(lower[start - 1]) || isDigit(lower[end])) continue;
    const to = correctWord(match[0]);
    if (to === null) continue;
    text += lower.slice(cursor, start);
    edits.push({ start, end, at: text.length, from: match[0], to });
    text += to;
    cursor = end;
  }
  if (edits.length === 0) return { text: lower, edits };
  return { text: text + lower.slice(cursor), edits };
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= "0" && char <= "9";
}

/** A position in the corrected text → the same place in the original (a word's ends map to its ends). */
export function toOriginal(correction: Correction, position: number): number {
  let shift = 0;
  for (const edit of correction.edits) {
    if (position < edit.at) break;
    if (position < edit.at + edit.to.length) return edit.start + Math.min(position - edit.at, edit.end - edit.start);
    shift = edit.end - (edit.at + edit.to.length);
  }
  return position + shift;
}

/** A position in the original text → the same place in the corrected one. */
export function toCorrected(correction: Correction, position: number): number {
  let shift = 0;
  for (const edit of correction.edits) {
    if (position < edit.start) break;
    if (position < edit.end) return edit.at + Math.min(position - edit.start, edit.to.length);
    shift = edit.at + edit.to.length - edit.end;
  }
  return position + shift;
}

/** `word` and every string left after deleting up to `depth` of its letters. */
function deletions(word: string, depth: number): Set<string> {
  const out = new Set([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      if (w.length <= 1) continue;
      for (let i = 0; i < w.length; i++) {
        const variant = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(variant)) {
          out.add(variant);
          next.push(variant);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: adjacent transpositions count
 * one), or `limit + 1` as soon as it must exceed `limit`.
 */
export function damerauLevenshtein(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (beforePrevious[j - 2] ?? 0) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(previous[b.length] ?? 0, limit + 1);
}

function push(index: Map<string, string[]>, key: string, word: string): void {
  const list = index.get(key);
  if (list) list.push(word);
  else index.set(key, [word]);
}
