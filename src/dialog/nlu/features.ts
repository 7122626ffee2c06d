import type { EntitySpan } from "./entities.js";
import { isHan } from "./text.js";

/** A sparse bag of features: feature string → weight. */
export type FeatureBag = Map<string, number>;

/** Char trigrams only rescue typos ("stcok"); whole words must dominate. */
const TRIGRAM_WEIGHT = 0.3;
const BIGRAM_WEIGHT = 0.5;
/**
 * English function words say little about intent but are most of a short sentence;
 * IDF alone cannot discount them with a few hundred examples.
 */
const FUNCTION_WORDS = new Set(
  "a an the i me my you your we our it its is are was be to of on in at for with and or do does did can could would will i'd i'm this that there some any".split(
    " ",
  ),
);
const FUNCTION_WORD_WEIGHT = 0.3;
const WORD = /[a-z]+/g;
const DIGITS = /\d+/g;

/**
 * Features of a normalised utterance. Chinese has no spaces, so Han runs give character
 * unigrams and bigrams; English gives lower-cased, lightly stemmed words and character
 * trigrams. Numbers and regex entities are replaced by a placeholder ("size 39" and
 * "size 42" look the same); an enum keeps its words and also adds its placeholder.
 */
export function featuresOf(lower: string, spans: readonly EntitySpan[]): FeatureBag {
  const bag: FeatureBag = new Map();
  let cursor = 0;
  for (const span of spans) {
    addSegment(bag, lower.slice(cursor, span.start));
    if (span.kind === "enum") addSegment(bag, lower.slice(span.start, span.end));
    add(bag, `#${span.entity}`, 1);
    cursor = Math.max(cursor, span.end);
  }
  addSegment(bag, lower.slice(cursor));
  return bag;
}

function add(bag: FeatureBag, feature: string, weight: number): void {
  bag.set(feature, (bag.get(feature) ?? 0) + weight);
}

function addSegment(bag: FeatureBag, segment: string): void {
  if (segment.length === 0) return;
  let han = "";
  for (const char of segment) {
    if (isHan(char)) {
      han += char;
      continue;
    }
    if (han) addHan(bag, han);
    han = "";
  }
  if (han) addHan(bag, han);
  let previous: string | null = null;
  for (const match of segment.matchAll(WORD)) {
    const stem = addWord(bag, match[0]);
    // Word pairs carry some order ("update address" vs "update on my order").
    if (previous !== null) add(bag, `p:${previous}_${stem}`, BIGRAM_WEIGHT);
    previous = stem;
  }
  // Digits outside any entity keep their literal value: "88" (bye-bye) is a word, "12345" is noise.
  for (const match of segment.matchAll(DIGITS)) add(bag, `n:${match[0]}`, 1);
}

function addHan(bag: FeatureBag, run: string): void {
  const chars = Array.from(run);
  for (let i = 0; i < chars.length; i++) {
    add(bag, `c:${chars[i]}`, 1);
    if (i + 1 < chars.length) add(bag, `b:${chars[i]}${chars[i + 1]}`, 1);
  }
}

function addWord(bag: FeatureBag, word: string): string {
  const stem = stemOf(word);
  add(bag, `w:${stem}`, FUNCTION_WORDS.has(word) ? FUNCTION_WORD_WEIGHT : 1);
  const marked = `^${stem}$`;
  if (marked.length < 5) return stem;
  for (let i = 0; i + 3 <= marked.length; i++) add(bag, `t:${marked.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  return stem;
}

/** Just enough stemming that "orders"/"order", "shipped"/"ship" meet; not a full Porter stemmer. */
export function stemOf(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith("es") && /(ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}
